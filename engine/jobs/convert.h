// SPDX-License-Identifier: GPL-3.0-or-later
// The trainer's types and the study's rows, converted in one place (the store knows nothing of
// the trainer, the trainer nothing of the store).
#pragma once
#include "store/records.h"
#include "train/trainer.h"

namespace hgq::jobs {

store::EpochRecord to_record(const EpochMetrics& m);
EpochMetrics to_metrics(const store::EpochRecord& r);

store::ResumeRecord to_record(const ResumeState& s);
ResumeState to_state(const store::ResumeRecord& r);

store::CheckpointRecord to_record(const Checkpoint& c);
Checkpoint to_checkpoint(const store::CheckpointRecord& r);
std::vector<Checkpoint> to_checkpoints(const std::vector<store::CheckpointRecord>& rows);

}  // namespace hgq::jobs
