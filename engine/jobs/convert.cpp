// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/convert.h"

namespace hgq::jobs {

store::EpochRecord to_record(const EpochMetrics& m) {
    return {m.epoch,        m.loss, m.cross_entropy, m.train_accuracy,        m.val_loss,
            m.val_accuracy, m.ebops, m.beta,         m.lr,       m.seconds,
            m.samples_per_second, m.kept};
}

EpochMetrics to_metrics(const store::EpochRecord& r) {
    EpochMetrics m;
    m.epoch = r.epoch;
    m.loss = r.loss, m.cross_entropy = r.cross_entropy, m.train_accuracy = r.train_accuracy;
    m.val_loss = r.val_loss, m.val_accuracy = r.val_accuracy;
    m.ebops = r.ebops, m.beta = r.beta, m.lr = r.lr;
    m.seconds = r.seconds, m.samples_per_second = r.samples_per_second;
    m.kept = r.kept;
    return m;
}

store::ResumeRecord to_record(const ResumeState& s) {
    return {s.epochs_done, s.model, s.optimizer, s.adam_steps};
}

ResumeState to_state(const store::ResumeRecord& r) {
    ResumeState s;
    s.epochs_done = r.epochs_done;
    s.model = r.params;
    s.optimizer = r.optimizer;
    s.adam_steps = r.adam_steps;
    return s;
}

store::CheckpointRecord to_record(const Checkpoint& c) {
    return {c.epoch, c.val_accuracy, c.val_loss, c.ebops, c.beta, c.snapshot};
}

Checkpoint to_checkpoint(const store::CheckpointRecord& r) {
    return {r.epoch, r.val_accuracy, r.val_loss, r.ebops, r.beta, r.params};
}

std::vector<Checkpoint> to_checkpoints(const std::vector<store::CheckpointRecord>& rows) {
    std::vector<Checkpoint> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(to_checkpoint(r));
    return out;
}

}  // namespace hgq::jobs
