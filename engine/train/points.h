// SPDX-License-Identifier: GPL-3.0-or-later
// Turns kept checkpoints into points: each snapshot is restored, its activation ranges are traced
// on the training split, exact bit-widths are frozen and exact EBOPs and test accuracy computed.
#pragma once
#include <cstdint>
#include <vector>

#include "data/dataset.h"
#include "deploy/deploy.h"
#include "nn/model.h"
#include "train/pareto.h"

namespace hgq {

struct FrontPoint {
    int id = 0;  // 1-based position in the run's front, by EBOPs ascending
    int epoch = 0;
    double beta = 0;
    double val_accuracy = 0;
    double test_accuracy = 0;        // of the bit-exact integer model: what the firmware does
    double test_accuracy_float = 0;  // of the quantized model in floating point, for comparison
    double ebops_train = 0;          // training-form estimate the tracker ranked on
    int64_t ebops_exact = 0;         // after the trace on the training split
    double lut_estimate = 0;
    int adder_levels = 0;
    std::vector<LayerReport> layers;  // per-layer bits, EBOPs, types
    TraceDiff diff;                   // float vs integer model on the test split
    nlohmann::json types;             // every tensor's type (hgq inspect --json)
};

// Deploys every kept checkpoint: trace on the training split, integer model, test accuracy.
std::vector<FrontPoint> evaluate_front(const Model& like, const std::vector<Checkpoint>& front,
                                       const Splits& data, const DeployOptions& opt);
nlohmann::json point_report_json(const FrontPoint& p);

}  // namespace hgq
