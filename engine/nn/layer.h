// SPDX-License-Identifier: GPL-3.0-or-later
// A layer: shapes, parameters and quantizers. The arithmetic lives in free kernels (nn/kernels.h).
// Batches are (N, features) row-major matrices; a layer's input is the previous layer's output.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/types.h"
#include "quant/quantizer.h"

namespace hgq {

// A trainable tensor as the optimizer sees it.
struct Param {
    std::string name;  // "dense1.W", "dense1.F_w", ...
    Scalar* value;
    Scalar* grad;
    int64_t size;
    bool is_F;  // fractional bits: the γ·ΣF regulariser applies
};

struct ForwardContext {
    bool training = false;  // batch-norm batch statistics, stochastic rounding
    bool record = false;    // update the min/max registers (training batches, or a trace)
    int threads = 1;
    uint64_t seed = 0;  // stochastic rounding stream of this batch
};

class Layer {
  public:
    virtual ~Layer() = default;
    virtual std::string kind() const = 0;
    const std::string& name() const { return name_; }
    const Shape& input_shape() const { return in_shape_; }
    const Shape& output_shape() const { return out_shape_; }

    // y (N, out) = layer(x (N, in)).
    virtual void forward(const Mat& x, Mat& y, const ForwardContext& ctx) = 0;
    // Accumulates parameter gradients from dy; writes dx (N, in) when dx is not null.
    // x and y are the tensors of the last training forward.
    virtual void backward(const Mat& x, const Mat& y, const Mat& dy, Mat* dx, int threads) = 0;

    virtual std::vector<Param> params() { return {}; }
    virtual std::vector<Quantizer*> quantizers() { return {}; }
    // The quantizer whose bits this layer's output carries (nullptr: bits pass through).
    virtual Quantizer* output_quantizer() { return nullptr; }

    // Training-form bit map of the output, per output feature, given the input's.
    virtual RowVec output_bits(const RowVec& in_bits);
    // Routes d(loss)/d(output bits) to the output quantizer's F, or to the input bits.
    virtual void output_bits_backward(const RowVec& d_out_bits, RowVec& d_in_bits);
    // This layer's differentiable EBOPs and its gradient (into its kernel F and the input bits).
    virtual double ebops(const RowVec& /*in_bits*/) { return 0; }
    virtual void ebops_backward(Scalar /*beta*/, const RowVec& /*in_bits*/, RowVec& /*d_in*/) {}

    // Work before the first training batch (e.g. batch-norm kernels adapt their F to it).
    virtual void on_first_batch(const Mat& /*x*/) {}
    virtual void to_json(nlohmann::json& j) const;
    virtual void from_json(const nlohmann::json& j);

    void zero_grad();
    void reset_registers();

  protected:
    std::string name_;
    Shape in_shape_, out_shape_;
    RowVec cached_group_bits_;  // output quantizer's group bits of the last output_bits() call
};

using LayerPtr = std::unique_ptr<Layer>;

}  // namespace hgq
