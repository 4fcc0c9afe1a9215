// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/beta_controller.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace hgq {

void BetaController::observe(int epoch, double ebops) {
    if (epoch + 1 < c_.warmup_epochs) return;  // the next epoch is still warm-up: β = init
    // A fully pruned model has 0 EBOPs; one EBOP stands in so the error stays finite.
    const double error = std::log10(std::max(ebops, 1.0) / c_.target_ebops);
    const double log_beta = std::log10(std::clamp(beta_, c_.min, c_.max));
    const bool starting = !active_;
    if (starting) {
        // Bumpless start: the integral that makes this epoch's output the current β.
        active_ = true;
        integral_ = c_.i != 0 ? (log_beta - c_.p * error) / c_.i - error : 0;
        previous_error_ = error;
    }
    const double derivative = error - previous_error_;
    const double integral = integral_ + error;
    double out = c_.p * error + c_.i * integral + c_.d * derivative;
    const double lo = std::log10(c_.min), hi = std::log10(c_.max);
    // Conditional integration: at a clamp, an error pushing further into it is not accumulated.
    const bool pushing_out = (out > hi && error > 0) || (out < lo && error < 0);
    if (!pushing_out) integral_ = integral;
    out = std::clamp(out, lo, hi);
    previous_error_ = error;
    double beta = std::pow(10.0, out);
    if (error < 0 && c_.damp_under_target > 0 && !starting)
        beta = std::max(c_.min, beta * (1 - c_.damp_under_target));
    beta_ = beta;
}

nlohmann::json BetaController::state() const {
    return {{"beta", beta_},
            {"integral", integral_},
            {"previous_error", previous_error_},
            {"active", active_ ? 1.0 : 0.0}};
}

void BetaController::restore(const nlohmann::json& s) {
    for (const char* key : {"beta", "integral", "previous_error", "active"})
        if (!s.contains(key) || !s.at(key).is_number())
            throw Error::bad_input("resume state", std::string("β controller state lacks '") +
                                                       key + "'",
                                   "the checkpoint was written by another version");
    beta_ = s.at("beta").get<double>();
    integral_ = s.at("integral").get<double>();
    previous_error_ = s.at("previous_error").get<double>();
    active_ = s.at("active").get<double>() != 0;
}

}  // namespace hgq
