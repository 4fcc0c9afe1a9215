// SPDX-License-Identifier: GPL-3.0-or-later
// HConv1D / HConv2D (spec §3.2, §5): a convolution is a dense layer over im2col patches, so the
// quantizers, fused batch-norm and gradients are Dense's, applied to (N·P, K) rows. EBOPs are the
// layer's own convolution of the bit maps, scaled by parallel_factor / output positions.
#pragma once
#include "nn/conv_geometry.h"
#include "nn/dense.h"
#include "nn/passive.h"

namespace hgq {

struct ConvOptions {
    int filters = 0;
    int kh = 3, kw = 3, sh = 1, sw = 1;
    bool same = false;
    int parallel_factor = 0;  // kernel instances in hardware; 0 = fully parallel (= positions)
    bool one_d = false;       // Conv1D: input (L, C), kernel (1, k)
};

class Conv : public Dense {
  public:
    Conv(std::string name, const Shape& in_shape, const ConvOptions& c, const DenseOptions& d,
         uint64_t init_seed);
    std::string kind() const override { return one_d_ ? "conv1d" : "conv2d"; }
    const WindowGeometry& geometry() const { return g_; }
    int parallel_factor() const { return pf_; }

    void forward(const Mat& x, Mat& y, const ForwardContext& ctx) override;
    void backward(const Mat& x, const Mat& y, const Mat& dy, Mat* dx, int threads) override;
    double ebops(const RowVec& in_bits) override;
    void ebops_backward(Scalar beta, const RowVec& in_bits, RowVec& d_in) override;
    void on_first_batch(const Mat& x) override;

    // Training with the max pool that follows (pool.disjoint_max(); nn/conv_pooled.cpp): the
    // same numbers as forward() then pool.forward(), and as pool.backward() then backward(),
    // without ever storing this layer's (N, P·filters) output, its error or its gradient.
    // forward_pooled writes the pool's output y_pool (N, pool output size); backward_pooled
    // takes the pool's output gradient dy_pool.
    void forward_pooled(const Mat& x, Pool& pool, Mat& y_pool, const ForwardContext& ctx);
    void backward_pooled(const Mat& x, const Pool& pool, const Mat& y_pool, const Mat& dy_pool,
                         Mat* dx, int threads);

  protected:
    const Scalar* chunk_input(const Mat& x, RowBlock c, Mat& scratch) const override;
    Scalar* chunk_dx(Mat& dx, RowBlock c, Mat& scratch) const override;
    void chunk_dx_done(const Mat& scratch, RowBlock c, Mat& dx) const override;

  private:
    WindowGeometry g_;
    int pf_ = 1;
    bool one_d_ = false;
    RowVec bit_col_sums_;                 // (K) Σ over positions of the im2col'd input bit map
    Mat err_at_max_;                      // (N, pool output size) z − Q(z) at the pool's argmax
    Partials<Mat> chunk_dy_, chunk_err_;  // (chunk, filters) dy ∘ ReLU mask, z − Q(z), rebuilt
};

}  // namespace hgq
