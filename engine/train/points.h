// SPDX-License-Identifier: GPL-3.0-or-later
// Turns kept checkpoints into points: each snapshot is restored, its activation ranges are traced
// on the training split, exact bit-widths are frozen and exact EBOPs and test accuracy computed.
#pragma once
#include <cstdint>
#include <vector>

#include "data/dataset.h"
#include "nn/model.h"
#include "train/pareto.h"

namespace hgq {

struct FrontPoint {
    int id = 0;     // 1-based position in the run's front, by EBOPs ascending
    int epoch = 0;
    double beta = 0;
    double val_accuracy = 0, test_accuracy = 0;
    double ebops_train = 0;  // training-form estimate the tracker ranked on
    int64_t ebops_exact = 0; // after the trace on the training split
};

std::vector<FrontPoint> evaluate_front(const Model& like, const std::vector<Checkpoint>& front,
                                       const Splits& data, int threads);

}  // namespace hgq
