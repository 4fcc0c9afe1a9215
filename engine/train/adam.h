// SPDX-License-Identifier: GPL-3.0-or-later
// Adam in Keras's form (the HGQ reference trains with Keras): ε is added to sqrt(v) before the
// bias correction, p -= lr·sqrt(1−β2^t)/(1−β1^t) · m/(sqrt(v) + ε). HGQ's F gradients are ~1e-4,
// so the placement of ε changes the first steps by up to 23 % (golden README §3.5).
#pragma once
#include <vector>

#include "nn/layer.h"

namespace hgq {

struct AdamConfig {
    double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7;
};

class Adam {
  public:
    explicit Adam(const AdamConfig& c) : c_(c) {}
    // One update of every parameter with learning rate `lr` (the schedule's value this epoch), on
    // up to `threads` threads of the caller's team.
    void step(const std::vector<Param>& params, double lr, int threads = 1);
    int64_t steps() const { return t_; }
    const AdamConfig& config() const { return c_; }

    // Moments by parameter, for checkpoints.
    std::vector<std::vector<Scalar>> m, v;
    void set_steps(int64_t t) { t_ = t; }

  private:
    AdamConfig c_;
    int64_t t_ = 0;
};

}  // namespace hgq
