// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/schedule.h"

#include <cmath>
#include <numbers>

namespace hgq {

// lr(e) = lr0·[(1 − α)·½·m^⌊e/T⌋·(1 + cos(π·(e mod T)/T)) + α], α = min/lr0 (t_mul = 1).
double LrSchedule::at(int epoch) const {
    if (kind == Kind::Constant) return lr0;
    const double alpha = lr0 > 0 ? min_lr / lr0 : 0.0;
    const int cycle = epoch / period;
    const double phase = double(epoch % period) / double(period);
    const double cosine = 0.5 * std::pow(decay, cycle) * (1 + std::cos(std::numbers::pi * phase));
    return lr0 * ((1 - alpha) * cosine + alpha);
}

double BetaSchedule::at(int epoch) const {
    if (blocks.empty()) return 0.0;
    int start = 0;
    for (const BetaBlock& b : blocks) {
        if (epoch < b.until_epoch) {
            const double t = double(epoch - start) / double(b.until_epoch - start);
            switch (b.shape) {
                case BetaBlock::Shape::Constant:
                    return b.from;
                case BetaBlock::Shape::Linear:
                    return b.from + t * (b.to - b.from);
                case BetaBlock::Shape::Geometric:
                    return b.from * std::pow(b.to / b.from, t);
            }
        }
        start = b.until_epoch;
    }
    return blocks.back().to;
}

}  // namespace hgq
