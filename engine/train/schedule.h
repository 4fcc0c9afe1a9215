// SPDX-License-Identifier: GPL-3.0-or-later
// Per-epoch schedules (spec §6): the learning rate (Keras CosineDecayRestarts stepped per epoch)
// and β (piecewise constant / linear / geometric blocks). Epochs are 0-based.
#pragma once
#include <vector>

namespace hgq {

struct LrSchedule {
    enum class Kind { Constant, CosineRestarts } kind = Kind::Constant;
    double lr0 = 1e-3;
    int period = 100;     // epochs per cosine cycle
    double decay = 1.0;   // peak multiplier per restart (Keras m_mul)
    double min_lr = 0.0;  // floor the cosine decays to (Keras alpha = min_lr / lr0)
    double at(int epoch) const;
};

struct BetaBlock {
    enum class Shape { Constant, Linear, Geometric } shape = Shape::Constant;
    int until_epoch = 0;  // the block covers [previous block's until_epoch, until_epoch)
    double from = 0, to = 0;
};

struct BetaSchedule {
    std::vector<BetaBlock> blocks;  // after the last block, its end value holds
    double at(int epoch) const;
};

}  // namespace hgq
