// SPDX-License-Identifier: GPL-3.0-or-later
// What one trained snapshot is as firmware: deployed (ranges traced on the training split, exact
// types frozen), its integer model run on the test split beside the float model.
#pragma once
#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "deploy/deploy.h"

namespace hgq {

struct PointEvaluation {
    Deployment deployment;
    double test_accuracy = 0;        // of the bit-exact integer model: what the firmware does
    double test_accuracy_float = 0;  // of the quantized model in floating point, for comparison
    TraceDiff diff;                  // float vs integer model on the test split
    nlohmann::json types;            // every tensor element's type (hgq inspect --json)
};

// Deploys `model` (its parameters restored by the caller; its registers are reset) on
// data.train and measures it on data.test in one pass.
PointEvaluation evaluate_point(Model& model, const Splits& data, const DeployOptions& opt);

// The per-layer report a study keeps with a point: bits, EBOPs, types, trace diff.
nlohmann::json report_json(const PointEvaluation& e);

}  // namespace hgq
