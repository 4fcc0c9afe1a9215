// SPDX-License-Identifier: GPL-3.0-or-later
// Compiled with -fno-trapping-math (engine/CMakeLists.txt): GCC vectorises floor only without
// trapping math ("no vectype" otherwise), and nothing here reads the floating-point flags. The
// min/max run in 16 lanes of explicit accumulators, merged at the end: min and max do not depend
// on the order (the values are never NaN on a finite run; the trainer stops on a NaN loss).
#include "quant/quantize_flat.h"

#include <cmath>

namespace hgq {

void quantize_flat(Scalar* __restrict z, Scalar* __restrict y, int64_t n, Scalar s, Scalar inv,
                   Scalar half, bool relu, Scalar* __restrict mn, Scalar* __restrict mx) {
    constexpr int kLanes = 16;
    Scalar lo[kLanes], hi[kLanes];
    const Scalar lo0 = mn ? *mn : Scalar(0), hi0 = mn ? *mx : Scalar(0);
    for (int l = 0; l < kLanes; ++l) lo[l] = lo0, hi[l] = hi0;
    int64_t i = 0;
    for (; i + kLanes <= n; i += kLanes)
        for (int l = 0; l < kLanes; ++l) {
            const Scalar q = std::floor(z[i + l] * s + half) * inv;
            z[i + l] -= q;
            lo[l] = q < lo[l] ? q : lo[l];
            hi[l] = q > hi[l] ? q : hi[l];
            y[i + l] = relu && !(q > 0) ? Scalar(0) : q;
        }
    for (int l = 0; i < n; ++i, ++l) {
        const Scalar q = std::floor(z[i] * s + half) * inv;
        z[i] -= q;
        lo[l] = q < lo[l] ? q : lo[l];
        hi[l] = q > hi[l] ? q : hi[l];
        y[i] = relu && !(q > 0) ? Scalar(0) : q;
    }
    if (!mn) return;
    for (int l = 0; l < kLanes; ++l) {
        *mn = lo[l] < *mn ? lo[l] : *mn;
        *mx = hi[l] > *mx ? hi[l] : *mx;
    }
}

}  // namespace hgq
