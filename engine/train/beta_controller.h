// SPDX-License-Identifier: GPL-3.0-or-later
// The β controller (HGQ2's BetaPID form): instead of a β schedule, a target EBOPs count, and β
// steered once per epoch so the training EBOPs settle on it. Users think "5,000 LUTs", not
// "β = 3e-5"; the controller turns one into the other during training.
//
// In log space (EBOPs and β both span decades, so a fixed gain works at any scale):
//   e = log10(EBOPs / target)   from the epoch just trained
//   I += e;  D = e − e_prev;  β = 10^(p·e + i·I + d·D), clamped to [min, max]
// β holds `init` during the warm-up epochs (the bit-widths first settle from their initial
// values). At the end of warm-up the integral is pre-loaded so the first controlled β equals the
// current one (bumpless: no jump of decades on the switch). While β sits at a clamp the integral
// stops growing in the clamp's direction (no wind-up: a run that cannot reach the target at
// β = max does not need hundreds of epochs to come back once it can).
#pragma once
#include <nlohmann/json.hpp>

namespace hgq {

struct BetaControllerConfig {
    double target_ebops = 0;  // > 0
    int warmup_epochs = 10;
    double init = 1e-6;  // β during warm-up, and where control starts
    double p = 1.0, i = 2e-3, d = 0.0;
    double min = 1e-10, max = 1.0;
    // While the EBOPs are under the target, β is multiplied by (1 − damp_under_target): the run
    // stops pressing cost down once it is there and spends the epochs on accuracy.
    double damp_under_target = 0.0;
};

class BetaController {
  public:
    explicit BetaController(BetaControllerConfig c) : c_(c), beta_(c.init) {}
    // β for the epoch about to be trained (0-based `epoch`).
    double beta() const { return beta_; }
    // The epoch `epoch` (0-based) ended with training EBOPs `ebops`: the next epoch's β.
    void observe(int epoch, double ebops);
    const BetaControllerConfig& config() const { return c_; }

    // The state a resumed run continues from (stored with the optimizer's moments).
    nlohmann::json state() const;
    void restore(const nlohmann::json& state);

  private:
    BetaControllerConfig c_;
    double beta_;
    double integral_ = 0, previous_error_ = 0;
    bool active_ = false;  // control has started (warm-up over)
};

}  // namespace hgq
