// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/adam.h"

#include <algorithm>
#include <cmath>

#include "core/parallel.h"
#include "core/phase_clock.h"

namespace hgq {

void Adam::step(const std::vector<Param>& params, double lr, int threads) {
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
    // Every element's update is independent, so the threads split the parameters laid end to end
    // (a thread's range may start and end inside a tensor); results do not depend on the split.
    int64_t total = 0;
    for (const Param& p : params) total += p.size;
    phase.pause();  // each block times itself: thread 0's share counts, its wait does not
    parallel_rows(total, threads, [&](RowBlock b, int) {
        PhaseScope block_phase(Phase::Optimizer);
        int64_t offset = 0;  // first element of params[p] in the concatenation
        for (size_t p = 0; p < params.size() && offset < b.end; offset += params[p++].size) {
            const int64_t lo = std::max(b.begin, offset) - offset;
            const int64_t hi = std::min(b.end, offset + params[p].size) - offset;
            Scalar* value = params[p].value;
            const Scalar* grad = params[p].grad;
            Scalar* mp = m[p].data();
            Scalar* vp = v[p].data();
            for (int64_t e = lo; e < hi; ++e) {
                mp[e] = b1 * mp[e] + (1 - b1) * grad[e];
                vp[e] = b2 * vp[e] + (1 - b2) * grad[e] * grad[e];
                value[e] -= alpha * mp[e] / (std::sqrt(vp[e]) + eps);
            }
        }
    });
}

}  // namespace hgq
