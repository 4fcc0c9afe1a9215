// SPDX-License-Identifier: GPL-3.0-or-later
#include "deploy/deploy.h"

#include <algorithm>
#include <cmath>

#include "cost/exact.h"
#include "deploy/report.h"
#include "nn/dense.h"

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

QMode qmode_of(Rounding r) { return r == Rounding::TRN ? QMode::TRN : QMode::RND; }

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
int64_t grid_code(Scalar v, int f) { return int64_t(std::llround(std::ldexp(double(v), f))); }

IntDense build_dense(Dense& d, double cover, OMode om) {
    IntDense L;
    L.name = d.name();
    L.in = int(d.W.rows());
    L.out = int(d.W.cols());
    L.relu = d.relu();
    const Quantizer& kq = d.kq_;
    const Quantizer& oq = d.oq_;
    const int G = kq.groups();
    for (int64_t e = 0; e < d.Wq.size(); ++e) {
        const int f = round_f(kq.F[e % G]);
        L.w_f.push_back(f);
        L.w_code.push_back(grid_code(d.Wq.data()[e], f));
    }
    // RND is folded into the bias (+ half an output LSB) so the output quantizer truncates (§1.6).
    L.bias_preshifted = oq.rounding() != Rounding::TRN;
    L.out_fmt = formats(oq, L.out, cover, QMode::TRN, om);
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
        if (L.out_fmt[j].W == 0) code = 0;  // a fully pruned unit: its bias is dead logic
        L.b_code.push_back(code);
        L.b_f.push_back(f);
    }
    if (!L.bias_preshifted)
        for (auto& fm : L.out_fmt) fm.q = QMode::TRN;
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
    for (size_t l = 1; l < layers.size(); ++l)
        if (auto* d = dynamic_cast<Dense*>(layers[l].get()))
            dep.model.layers.push_back(build_dense(*d, opt.cover_factor, opt.overflow));
    dep.layers = layer_reports(dep.model);
    for (const auto& r : dep.layers) {
        dep.ebops += r.ebops;
        dep.lut_estimate += r.lut_estimate;
        dep.adder_levels += r.adder_levels;
    }
    return dep;
}

}  // namespace hgq
