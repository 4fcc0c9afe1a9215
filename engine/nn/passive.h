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

  private:
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
