// SPDX-License-Identifier: GPL-3.0-or-later
// A run's Pareto front becomes its points: every kept checkpoint is restored into the run's
// model, deployed and measured (deploy/evaluate), and converted into the rows the study keeps.
#pragma once
#include <vector>

#include "deploy/evaluate.h"
#include "nn/model.h"
#include "store/records.h"

namespace hgq::jobs {

// One point per checkpoint, ranked 1.. in the order given (the front is stored by epoch; ranks
// follow EBOPs ascending as the tracker kept them).
std::vector<store::PointRecord> evaluate_front(const Model& like,
                                               const std::vector<store::CheckpointRecord>& front,
                                               const Splits& data, const DeployOptions& opt);

// The study's row of a measured checkpoint.
store::PointRecord point_record(const store::CheckpointRecord& c, const PointEvaluation& e,
                                int rank);

}  // namespace hgq::jobs
