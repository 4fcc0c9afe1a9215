// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/input_quantizer.h"

#include "core/parallel.h"
#include "core/phase_clock.h"

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
    const int threads = threads_for(x.rows(), ctx.threads);
    std::vector<RowVec> mn(threads, q_.reg_min()), mx(threads, q_.reg_max());
    parallel_rows(x.rows(), ctx.threads, [&](RowBlock b, int t) {
        PhaseScope phase(Phase::Quantize);
        Scalar* yb = y.data() + b.begin * n;
        q_.quantize(x.data() + b.begin * n, yb, err_.data() + b.begin * n, b.size() * n,
                    ctx.training, ctx.seed + static_cast<uint64_t>(b.begin));
        if (ctx.record) q_.accumulate_minmax(yb, b.size() * n, mn[t], mx[t]);
    });
    if (ctx.record)
        for (int t = 0; t < threads; ++t) q_.merge_registers(mn[t], mx[t]);
}

void InputQuantizer::backward(const Mat&, const Mat&, const Mat& dy, Mat* dx, int threads) {
    const int64_t n = dy.cols();
    std::vector<RowVec> acc(threads_for(dy.rows(), threads), RowVec::Zero(q_.groups()));
    parallel_rows(dy.rows(), threads, [&](RowBlock b, int t) {
        PhaseScope phase(Phase::Quantize);
        q_.accumulate_surrogate(dy.data() + b.begin * n, err_.data() + b.begin * n, b.size() * n,
                                acc[t]);
    });
    PhaseScope phase(Phase::Quantize);
    for (const RowVec& a : acc) q_.dF += kLn2 * a;
    phase.switch_to(Phase::Layout);
    if (dx) *dx = dy;  // straight-through
}

std::vector<Param> InputQuantizer::params() {
    return {{name_ + ".F", q_.F.data(), q_.dF.data(), q_.F.size(), true}};
}

}  // namespace hgq
