// SPDX-License-Identifier: GPL-3.0-or-later
#include "deploy/deploy.h"

#include <algorithm>
#include <cmath>

#include <bit>
#include "cost/exact.h"
#include "deploy/report.h"

#include "core/error.h"
#include "nn/conv.h"
#include "nn/passive.h"

namespace hgq {
namespace {

// The registers widened about their centre by the cover factor (spec §3.3 trace_minmax).
std::vector<FixedType> covered_types(const Quantizer& q, double cover) {
    if (cover == 1.0) return q.exact_types();
    RowVec mn = q.reg_min(), mx = q.reg_max();
    for (int g = 0; g < mn.size(); ++g) {
        if (!std::isfinite(mn[g]) || !std::isfinite(mx[g])) continue;
        const Scalar c = (mn[g] + mx[g]) / 2, h = (mx[g] - mn[g]) / 2 * Scalar(cover);
        mn[g] = c - h;
        mx[g] = c + h;
    }
    return q.exact_types(mn, mx);
}

QMode qmode_of(Rounding r) {
    return r == Rounding::TRN ? QMode::TRN : QMode::RND;
}

std::vector<FixedFormat> formats(const Quantizer& q, int n, double cover, QMode qm, OMode om) {
    const auto types = covered_types(q, cover);
    std::vector<FixedFormat> f(n);
    for (int e = 0; e < n; ++e) {
        const FixedType& t = types[e % types.size()];
        f[e] = FixedFormat::from_kif(t.k, t.i, t.f, qm, om);
    }
    return f;
}

// Exact (code, f) of a float on the grid 2^-f (it is: it was quantized there).
int64_t grid_code(Scalar v, int f) {
    return int64_t(std::llround(std::ldexp(double(v), f)));
}

IntLayer build_dense(Dense& d, int positions, double cover, OMode om) {
    IntLayer L;
    L.name = d.name();
    L.in = int(d.W.rows());
    L.out = int(d.W.cols());
    L.elements = positions * L.out;
    L.relu = d.relu();
    const Quantizer& kq = d.kernel_q;
    const Quantizer& oq = d.output_q;
    const int G = kq.groups();
    for (int64_t e = 0; e < d.Wq.size(); ++e) {
        const int f = round_f(kq.F[e % G]);
        L.w_f.push_back(f);
        L.w_code.push_back(grid_code(d.Wq.data()[e], f));
    }
    L.out_fmt = formats(oq, L.elements, cover, QMode::TRN, om);
    // RND is folded into the bias (+ half an output LSB) so the output truncates (§1.6) — possible
    // when every output of a channel has the same f; otherwise the cast itself rounds.
    bool one_f_per_channel = true, rnd = oq.rounding() != Rounding::TRN;
    for (int e = 0; e < L.elements; ++e)
        one_f_per_channel &= L.out_fmt[e].F() == L.out_fmt[e % L.out].F();
    L.bias_preshifted = rnd && one_f_per_channel;
    const auto groups = oq.bias_groups();
    for (int j = 0; j < L.out; ++j) {
        const int fb = round_f(oq.F[groups[j]]);
        int64_t code = grid_code(d.bq[j], fb);
        int f = fb;
        if (L.bias_preshifted) {
            const int fo = L.out_fmt[j].F();
            f = std::max(fb, fo + 1);
            code = (code << (f - fb)) + (int64_t(1) << (f - fo - 1));
        }
        bool pruned = true;  // every output of the channel has 0 bits: its bias is dead logic
        for (int p = 0; p < positions; ++p) pruned &= L.out_fmt[p * L.out + j].W == 0;
        L.b_code.push_back(pruned ? 0 : code);
        L.b_f.push_back(f);
    }
    if (rnd && !L.bias_preshifted)
        for (auto& fm : L.out_fmt) fm.q = QMode::RND;
    return L;
}

IntLayer build_conv(Conv& c, double cover, OMode om) {
    IntLayer L = build_dense(c, c.geometry().positions(), cover, om);
    L.kind = IntLayer::Kind::Conv;
    L.geom = c.geometry();
    L.parallel_factor = c.parallel_factor();
    // Which input element each patch entry reads: im2col of the element indices themselves.
    RowVec index(L.geom.in_size());
    for (int e = 0; e < index.size(); ++e) index[e] = Scalar(e + 1);  // 0 marks padding
    Mat cols(L.geom.positions(), L.geom.patch());
    im2col_row(L.geom, index.data(), cols.data());
    for (int64_t e = 0; e < cols.size(); ++e) L.patch_index.push_back(int32_t(cols.data()[e]) - 1);
    return L;
}

IntLayer build_passive(Layer& layer, const std::vector<int>& in_f) {
    IntLayer L;
    L.name = layer.name();
    L.elements = shape_size(layer.output_shape());
    if (auto* p = dynamic_cast<Pool*>(&layer)) {
        L.kind = p->is_max() ? IntLayer::Kind::MaxPool : IntLayer::Kind::AvgPool;
        L.geom = p->geometry();
        const int K = L.geom.kh * L.geom.kw;
        if (!p->is_max() && std::popcount(unsigned(K)) != 1)
            throw Error::bad_input(L.name,
                                   "average pooling over " + std::to_string(K) +
                                       " elements is not exact in fixed point",
                                   "use a power-of-two window (2, 4, 2x2, ...) or max pooling");
        L.pool_f = passive_out_f(L, in_f);
    } else {
        L.kind = IntLayer::Kind::Flatten;
        L.pool_f = in_f;
    }
    return L;
}

}  // namespace

Deployment deploy(Model& model, const Mat& calibration, const DeployOptions& opt) {
    trace_minmax(model, calibration, opt.batch_size, opt.threads);
    Deployment dep;
    auto& layers = model.layers();
    const Quantizer& iq = *layers.front()->output_quantizer();
    dep.model.input_fmt = formats(iq, shape_size(layers.front()->output_shape()), opt.cover_factor,
                                  qmode_of(iq.rounding()), opt.overflow);
    for (size_t l = 1; l < layers.size(); ++l) {
        if (auto* c = dynamic_cast<Conv*>(layers[l].get()))
            dep.model.layers.push_back(build_conv(*c, opt.cover_factor, opt.overflow));
        else if (auto* d = dynamic_cast<Dense*>(layers[l].get()))
            dep.model.layers.push_back(build_dense(*d, 1, opt.cover_factor, opt.overflow));
        else
            dep.model.layers.push_back(build_passive(*layers[l], dep.model.code_f(int(l) - 1)));
    }
    return summarize(std::move(dep.model));
}

Deployment summarize(IntegerModel im) {
    Deployment dep;
    dep.model = std::move(im);
    dep.layers = layer_reports(dep.model);
    for (const auto& r : dep.layers) {
        dep.ebops += r.ebops;
        dep.lut_estimate += r.lut_estimate;
        dep.adder_levels += r.adder_levels;
    }
    return dep;
}

}  // namespace hgq
