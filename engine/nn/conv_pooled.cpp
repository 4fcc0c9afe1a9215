// SPDX-License-Identifier: GPL-3.0-or-later
// A convolution and the disjoint max pool after it, trained as one step. Of the convolution's
// (N, P·filters) output, the pool keeps one element per window; backward needs the gradient, the
// output (for the ReLU mask) and z − Q(z) only where the gradient is non-zero, which is at the
// argmax. So the forward pools each chunk while it is in cache and keeps z − Q(z) at the argmax
// (a quarter of the elements for 2×2 windows); the backward rebuilds each chunk's gradient, with
// the ReLU mask applied, and z − Q(z) in cache from the pool's tensors, zero off the argmax (and
// the masked gradient once more for the input gradient's pass, instead of keeping dz). The first
// convolution of the Fashion-MNIST CNN had four 11 MB tensors a batch — y, z − Q(z), the pool's
// input gradient and dz, each written once and read once or twice — that no longer leave the
// cache.
//
// The rebuilt chunks hold the same values as the stored tensors wherever the gradient is
// non-zero, and the masked gradient is zero elsewhere either way, so every sum and product takes
// the same terms in the same order: the results are those of the unfused layers, bit for bit.
#include "core/phase_clock.h"
#include "nn/conv.h"

namespace hgq {

void Conv::forward_pooled(const Mat& x, Pool& pool, Mat& y_pool, const ForwardContext& ctx) {
    const int64_t N = x.rows(), P = g_.positions(), pooled = shape_size(pool.output_shape());
    const int64_t row = shape_size(out_shape_);  // one sample's output (P·filters)
    y_pool.resize(N, pooled);
    err_at_max_.resize(N, pooled);
    pool.prepare_max(N);
    output_sink_ = [&](RowBlock c, int, const Scalar* y, const Scalar* err) {
        for (int64_t s = c.begin / P; s < c.end / P; ++s) {
            const int64_t at = (s - c.begin / P) * row;
            pool.max_sample(y + at, err + at, s, y_pool.row(s).data(), err_at_max_.row(s).data());
        }
    };
    Mat unused;  // this layer's own output is never formed
    try {
        Dense::forward(x, unused, ctx);
    } catch (...) {
        output_sink_ = nullptr;
        throw;
    }
    output_sink_ = nullptr;
}

void Conv::backward_pooled(const Mat& x, const Pool& pool, const Mat& y_pool, const Mat& dy_pool,
                           Mat* dx, int threads) {
    const int64_t P = g_.positions(), row = shape_size(out_shape_);
    const int n = threads_for(x.rows(), threads);
    chunk_dy_.parts.resize(n);
    chunk_err_.parts.resize(n);
    chunk_source_ = [&](RowBlock c, int t, bool with_err) -> ChunkTensors {
        PhaseScope phase(Phase::Layout);
        const int64_t cols = row / P;  // filters
        Mat &dy = chunk_dy_.parts[t], &err = chunk_err_.parts[t];
        dy.resize(c.size(), cols);
        err.resize(c.size(), cols);
        for (int64_t s = c.begin / P; s < c.end / P; ++s) {
            const int64_t at = (s - c.begin / P) * row;
            pool.scatter_masked(s, dy_pool.row(s).data(), y_pool.row(s).data(),
                                err_at_max_.row(s).data(), relu(), dy.data() + at,
                                with_err ? err.data() + at : nullptr);
        }
        return {dy.data(), nullptr, err.data(), true};
    };
    const Mat unused;  // y and dy come from chunk_source_
    try {
        Dense::backward(x, unused, unused, dx, threads);
    } catch (...) {
        chunk_source_ = nullptr;
        throw;
    }
    chunk_source_ = nullptr;
}

}  // namespace hgq
