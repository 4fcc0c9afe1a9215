// SPDX-License-Identifier: GPL-3.0-or-later
// HQuantize: quantizes the raw input so the first layer sees fixed-point numbers. It has no EBOPs
// of its own; its bits (with sign) enter the first layer's EBOPs (spec §5, §9.12).
#pragma once
#include "nn/layer.h"

namespace hgq {

class InputQuantizer : public Layer {
  public:
    InputQuantizer(std::string name, const Shape& shape, Granularity g, Rounding r,
                   Scalar init_bits);
    std::string kind() const override { return "input_quantizer"; }

    void forward(const Mat& x, Mat& y, const ForwardContext& ctx) override;
    void backward(const Mat& x, const Mat& y, const Mat& dy, Mat* dx, int threads) override;
    std::vector<Param> params() override;
    std::vector<Quantizer*> quantizers() override { return {&q_}; }
    Quantizer* output_quantizer() override { return &q_; }

  private:
    Quantizer q_;
    Mat err_;  // (N, n) x − q of the last training forward
};

}  // namespace hgq
