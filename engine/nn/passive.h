// SPDX-License-Identifier: GPL-3.0-or-later
// Passive layers (spec §3.2, §5): no quantizer, no EBOPs; bit maps pass through. Pooling takes
// the window maximum of the bits; Flatten only renames the shape (samples are already flat).
#pragma once
#include "nn/conv_geometry.h"
#include "nn/layer.h"

namespace hgq {

class Pool : public Layer {
  public:
    // Max or average pooling over (ph, pw) windows with strides (sh, sw), valid padding;
    // `one_d`: input (L, C), window (1, pw).
    Pool(std::string name, const Shape& in_shape, bool max, int ph, int pw, int sh, int sw,
         bool one_d);
    std::string kind() const override {
        return std::string(max_ ? "max" : "avg") + (one_d_ ? "pool1d" : "pool2d");
    }
    bool is_max() const { return max_; }
    const WindowGeometry& geometry() const { return g_; }

    void forward(const Mat& x, Mat& y, const ForwardContext& ctx) override;
    void backward(const Mat& x, const Mat& y, const Mat& dy, Mat* dx, int threads) override;
    RowVec output_bits(const RowVec& in_bits) override;
    void output_bits_backward(const RowVec& d_out_bits, RowVec& d_in_bits) override;

    // A max pool whose windows never overlap: each input element lies in at most one window, so
    // a convolution before it can pool its output chunk by chunk, in cache, and never store it
    // (Model fuses the pair in training; nn/conv_pooled.cpp).
    bool disjoint_max() const { return max_ && g_.sh >= g_.kh && g_.sw >= g_.kw; }
    // Sizes the argmax record for a batch of `batch` samples, before max_sample() runs on it.
    void prepare_max(int64_t batch) { argmax_.resize(batch * int64_t(g_.positions()) * g_.in_c); }
    // The max forward of one sample as sample n of the batch: `in` (input size) into `out`
    // (output size), recording the argmax; `carry_out` (output size) gets `carry` (input size)
    // at the argmax — a convolution's z − Q(z) there.
    void max_sample(const Scalar* in, const Scalar* carry, int64_t n, Scalar* out,
                    Scalar* carry_out);
    // What Pool::backward and the ReLU mask make of sample n's pooled gradient `dy` (output
    // size) given the pooled output `y`, and the carried values `carry` put back in place:
    // dy_in, carry_in (input size) hold them at the argmax and zero elsewhere; carry_in may be
    // null (carry is then not read).
    void scatter_masked(int64_t n, const Scalar* dy, const Scalar* y, const Scalar* carry,
                        bool relu, Scalar* dy_in, Scalar* carry_in) const;

  private:
    void max_window(const Scalar* in, int p, Scalar* out, int32_t* arg) const;
    bool covers_input() const;  // every input element lies in a window
    // Input index (within a sample) of each window element of output element (p, c).
    int64_t input_index(int p, int k, int c) const;

    WindowGeometry g_;
    bool max_ = true, one_d_ = false;
    static constexpr int kPrefetchAhead = 8;  // windows: about 2 KB ahead for the CNN's pools
    void prefetch_window(const Mat& x, int64_t n, int p) const;
    std::vector<int32_t> window_base_;  // (P·K) input element of channel 0 under each window entry
    std::vector<int32_t> argmax_;       // (N·P·C) window element chosen by the last max forward
    std::vector<int32_t> bit_argmax_;   // (P·C) window element with the most bits
};

class Flatten : public Layer {
  public:
    Flatten(std::string name, const Shape& in_shape);
    std::string kind() const override { return "flatten"; }
    void forward(const Mat& x, Mat& y, const ForwardContext&) override;
    void backward(const Mat&, const Mat&, const Mat& dy, Mat* dx, int) override;
};

}  // namespace hgq
