// SPDX-License-Identifier: GPL-3.0-or-later
#include "deploy/integer_plan.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace hgq {
namespace {

Wide max_abs(const FixedFormat& f) {
    if (f.W == 0) return 0;
    return f.is_signed ? Wide(1) << (f.W - 1) : (Wide(1) << f.W) - 1;
}

Wide abs_wide(Wide v) {
    return v < 0 ? -v : v;
}

}  // namespace

std::vector<std::vector<Wide>> code_bounds(const IntegerModel& im) {
    std::vector<std::vector<Wide>> b(im.layers.size() + 1);
    for (const auto& f : im.input_fmt) b[0].push_back(max_abs(f));
    for (size_t l = 0; l < im.layers.size(); ++l) {
        const IntLayer& d = im.layers[l];
        if (d.kind == IntLayer::Kind::Dense || d.kind == IntLayer::Kind::Conv) {
            for (const auto& f : d.out_fmt) b[l + 1].push_back(max_abs(f));
            continue;
        }
        if (d.kind == IntLayer::Kind::Flatten) {
            b[l + 1] = b[l];
            continue;
        }
        const auto in_f = im.code_f(int(l));
        const WindowGeometry& g = d.geom;
        const int K = g.kh * g.kw;
        const int shift_avg = d.kind == IntLayer::Kind::AvgPool ? std::countr_zero(unsigned(K)) : 0;
        for (int e = 0; e < d.elements; ++e) {
            const int p = e / g.in_c, c = e % g.in_c, f = d.pool_f[e] - shift_avg;
            Wide m = 0;
            for (int k = 0; k < K; ++k) {
                const int iy = (p / g.out_w) * g.sh + k / g.kw,
                          ix = (p % g.out_w) * g.sw + k % g.kw;
                const int idx = (iy * g.in_w + ix) * g.in_c + c;
                const Wide v = b[l][idx] << (f - in_f[idx]);
                m = d.kind == IntLayer::Kind::MaxPool ? std::max(m, v) : m + v;
            }
            b[l + 1].push_back(m);
        }
    }
    return b;
}

namespace {

IntLayerPlan plan_layer(const IntLayer& d, const std::vector<int>& cur_f,
                        const std::vector<Wide>& bound) {
    IntLayerPlan plan;
    const int P = d.kind == IntLayer::Kind::Conv ? d.geom.positions() : 1;
    for (int p = 0; p < P; ++p)
        for (int j = 0; j < d.out; ++j) {
            const int32_t* index =
                d.kind == IntLayer::Kind::Conv ? d.patch_index.data() + p * d.in : nullptr;
            IntOutputPlan o;
            o.acc_f = d.b_f[j];
            for (int k = 0; k < d.in; ++k) {
                const int idx = index ? index[k] : k;
                if (idx >= 0 && d.w_code[k * d.out + j] != 0)
                    o.acc_f = std::max(o.acc_f, cur_f[idx] + d.w_f[k * d.out + j]);
            }
            o.bias = Wide(d.b_code[j]) << (o.acc_f - d.b_f[j]);
            o.begin = int32_t(plan.terms.size());
            Wide worst = abs_wide(o.bias);
            for (int k = 0; k < d.in; ++k) {
                const int idx = index ? index[k] : k;
                const int64_t w = d.w_code[k * d.out + j];
                if (idx < 0 || w == 0 || bound[idx] == 0) continue;  // padding, pruned: zero
                const int shift = o.acc_f - cur_f[idx] - d.w_f[k * d.out + j];
                plan.terms.push_back({idx, shift, w});
                const int bits =
                    int(std::bit_width(
                        uint64_t(bound[idx] > Wide(INT64_MAX) ? INT64_MAX : int64_t(bound[idx])))) +
                    int(std::bit_width(uint64_t(w < 0 ? -w : w))) + shift;
                worst = bits >= 100 || worst >= (Wide(1) << 100)
                            ? Wide(1) << 100
                            : worst + ((bound[idx] * abs_wide(w)) << shift);
            }
            o.end = int32_t(plan.terms.size());
            o.small = worst < (Wide(1) << 62);
            o.exact53 = worst < (Wide(1) << 53);
            plan.outputs.push_back(o);
        }
    plan.gemm = std::all_of(plan.outputs.begin(), plan.outputs.end(),
                            [](const IntOutputPlan& o) { return o.exact53; });
    if (plan.gemm) {
        for (size_t e = 0; e < d.w_code.size(); ++e)
            plan.weights.push_back(std::ldexp(double(d.w_code[e]), -d.w_f[e]));
        for (int f : cur_f) plan.in_scale.push_back(std::ldexp(1.0, -f));
        for (const auto& o : plan.outputs) plan.unit.push_back(std::ldexp(1.0, o.acc_f));
    }
    return plan;
}

}  // namespace

std::vector<IntLayerPlan> make_plans(const IntegerModel& im) {
    const auto bounds = code_bounds(im);
    std::vector<IntLayerPlan> plans(im.layers.size());
    for (size_t l = 0; l < im.layers.size(); ++l) {
        const IntLayer& d = im.layers[l];
        if (d.kind == IntLayer::Kind::Dense || d.kind == IntLayer::Kind::Conv)
            plans[l] = plan_layer(d, im.code_f(int(l)), bounds[l]);
    }
    return plans;
}

}  // namespace hgq
