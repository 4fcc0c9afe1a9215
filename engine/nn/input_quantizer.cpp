// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/input_quantizer.h"

#include "core/parallel.h"

namespace hgq {

InputQuantizer::InputQuantizer(std::string name, const Shape& shape, Granularity g, Rounding r,
                               Scalar init_bits) {
    name_ = std::move(name);
    in_shape_ = out_shape_ = shape;
    // No bias can absorb a rounding offset here, so "auto" means TRN (spec §1.2).
    q_.build(Quantizer::Role::Activation, shape_size(shape), shape.back(), g,
             r == Rounding::Auto ? Rounding::TRN : r);
    q_.init_constant(init_bits);
}

void InputQuantizer::forward(const Mat& x, Mat& y, const ForwardContext& ctx) {
    q_.prepare();
    y.resize(x.rows(), x.cols());
    err_.resize(x.rows(), x.cols());
    const int64_t n = x.cols();
    parallel_rows(x.rows(), ctx.threads, [&](RowBlock b, int) {
        q_.quantize(x.data() + b.begin * n, y.data() + b.begin * n, err_.data() + b.begin * n,
                    b.size() * n, ctx.training, ctx.seed + static_cast<uint64_t>(b.begin));
    });
    if (ctx.record) q_.record(y.data(), y.size());
}

void InputQuantizer::backward(const Mat&, const Mat&, const Mat& dy, Mat* dx, int) {
    q_.surrogate_grad(dy.data(), err_.data(), dy.size());
    if (dx) *dx = dy;  // straight-through
}

std::vector<Param> InputQuantizer::params() {
    return {{name_ + ".F", q_.F.data(), q_.dF.data(), q_.F.size(), true}};
}

}  // namespace hgq
