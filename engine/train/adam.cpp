// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/adam.h"

#include <algorithm>
#include <cmath>

#include "core/parallel.h"
#include "core/phase_clock.h"

namespace hgq {

namespace {
// One tensor range's update. A free function with __restrict parameters, compiled without
// sqrt's errno check (engine/CMakeLists.txt), so GCC vectorises it; the same operations on every
// element whatever the vector width or where a thread's range starts, so 1 and 2 threads agree
// bit for bit (test_thread_team).
void adam_update(Scalar* __restrict value, const Scalar* __restrict grad, Scalar* __restrict m,
                 Scalar* __restrict v, int64_t n, Scalar alpha, Scalar b1, Scalar b2, Scalar eps) {
    for (int64_t e = 0; e < n; ++e) {
        m[e] = b1 * m[e] + (1 - b1) * grad[e];
        v[e] = b2 * v[e] + (1 - b2) * grad[e] * grad[e];
        value[e] -= alpha * m[e] / (std::sqrt(v[e]) + eps);
    }
}
}  // namespace

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
            adam_update(params[p].value + lo, params[p].grad + lo, m[p].data() + lo,
                        v[p].data() + lo, hi - lo, alpha, b1, b2, eps);
        }
    });
}

}  // namespace hgq
