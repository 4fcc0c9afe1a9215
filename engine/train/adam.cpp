// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/adam.h"

#include <cmath>

#include "core/phase_clock.h"

namespace hgq {

void Adam::step(const std::vector<Param>& params, double lr) {
    PhaseScope phase(Phase::Optimizer);
    if (m.size() != params.size()) {
        m.assign(params.size(), {});
        v.assign(params.size(), {});
        for (size_t p = 0; p < params.size(); ++p) {
            m[p].assign(params[p].size, Scalar(0));
            v[p].assign(params[p].size, Scalar(0));
        }
    }
    ++t_;
    const double t = double(t_);
    const Scalar alpha =
        Scalar(lr * std::sqrt(1 - std::pow(c_.beta2, t)) / (1 - std::pow(c_.beta1, t)));
    const Scalar b1 = Scalar(c_.beta1), b2 = Scalar(c_.beta2), eps = Scalar(c_.epsilon);
    for (size_t p = 0; p < params.size(); ++p) {
        Scalar* value = params[p].value;
        const Scalar* grad = params[p].grad;
        Scalar* mp = m[p].data();
        Scalar* vp = v[p].data();
        for (int64_t e = 0; e < params[p].size; ++e) {
            mp[e] = b1 * mp[e] + (1 - b1) * grad[e];
            vp[e] = b2 * vp[e] + (1 - b2) * grad[e] * grad[e];
            value[e] -= alpha * mp[e] / (std::sqrt(vp[e]) + eps);
        }
    }
}

}  // namespace hgq
