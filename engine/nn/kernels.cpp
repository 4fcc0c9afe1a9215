// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/kernels.h"

#include <vector>

#include "core/parallel.h"

namespace hgq {

void matmul_tn(const Mat& a, const Mat& b, Mat& out, int threads) {
    const int n = threads_for(a.rows(), threads);
    std::vector<Mat> partial(n);
    parallel_rows(a.rows(), threads, [&](RowBlock blk, int t) {
        partial[t].noalias() =
            a.middleRows(blk.begin, blk.size()).transpose() * b.middleRows(blk.begin, blk.size());
    });
    out = partial[0];
    for (int t = 1; t < n; ++t) out += partial[t];
}

void matmul_rows(const Mat& a, const Mat& b, Mat& out, int threads) {
    out.resize(a.rows(), b.cols());
    parallel_rows(a.rows(), threads, [&](RowBlock blk, int) {
        out.middleRows(blk.begin, blk.size()).noalias() = a.middleRows(blk.begin, blk.size()) * b;
    });
}

void column_mean_var(const Mat& z, RowVec& mean, RowVec& var) {
    const Scalar inv_n = Scalar(1) / Scalar(z.rows());
    mean = z.colwise().sum() * inv_n;
    var = (z.rowwise() - mean).array().square().colwise().sum().matrix() * inv_n;
}

void fill_uniform(Scalar* data, int64_t n, Scalar limit, uint64_t seed) {
    std::mt19937_64 gen(seed);  // mt19937_64's sequence is fixed by the standard
    for (int64_t e = 0; e < n; ++e) {
        const double u = double(gen() >> 11) * 0x1.0p-53;  // [0, 1) from 53 bits
        data[e] = static_cast<Scalar>((2 * u - 1) * limit);
    }
}

}  // namespace hgq
