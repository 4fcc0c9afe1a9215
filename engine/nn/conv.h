// SPDX-License-Identifier: GPL-3.0-or-later
// HConv1D / HConv2D (spec §3.2, §5): a convolution is a dense layer over im2col patches, so the
// quantizers, fused batch-norm and gradients are Dense's, applied to (N·P, K) rows. EBOPs are the
// layer's own convolution of the bit maps, scaled by parallel_factor / output positions.
#pragma once
#include "nn/conv_geometry.h"
#include "nn/dense.h"

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

  protected:
    const Scalar* chunk_input(const Mat& x, RowBlock c, Mat& scratch) const override;
    Scalar* chunk_dx(Mat& dx, RowBlock c, Mat& scratch) const override;
    void chunk_dx_done(const Mat& scratch, RowBlock c, Mat& dx) const override;

  private:
    WindowGeometry g_;
    int pf_ = 1;
    bool one_d_ = false;
    RowVec bit_col_sums_;                // (K) Σ over positions of the im2col'd input bit map
};

}  // namespace hgq
