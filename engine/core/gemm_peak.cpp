// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/gemm_peak.h"

#include <Eigen/Core>
#include <algorithm>
#include <chrono>

#include "core/parallel.h"

namespace hgq {

double measure_gemm_gflops(int threads, int n, int repeats) {
    using MatF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const MatF a = MatF::Random(n, n), b = MatF::Random(n, n);
    MatF c(n, n);
    double best = 1e30;
    for (int r = 0; r < repeats; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        parallel_rows(n, threads, [&](RowBlock blk, int) {
            c.middleRows(blk.begin, blk.size()).noalias() = a.middleRows(blk.begin, blk.size()) * b;
        });
        best = std::min(
            best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return 2.0 * double(n) * n * n / best / 1e9;
}

}  // namespace hgq
