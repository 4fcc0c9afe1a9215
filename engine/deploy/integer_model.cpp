// SPDX-License-Identifier: GPL-3.0-or-later
#include "deploy/integer_model.h"

#include <algorithm>
#include <bit>

#include "core/parallel.h"
#include "deploy/integer_plan.h"

namespace hgq {

int IntegerModel::width(int l) const {
    return l == 0 ? int(input_fmt.size()) : layers[l - 1].elements;
}

std::vector<int> passive_out_f(const IntLayer& d, const std::vector<int>& in_f) {
    if (d.kind == IntLayer::Kind::Flatten) return in_f;
    const WindowGeometry& g = d.geom;
    const int K = g.kh * g.kw, C = g.in_c;
    std::vector<int> out;
    for (int e = 0; e < d.elements; ++e) {
        const int p0 = e / C, c = e % C;
        int f = -1000;
        for (int k = 0; k < K; ++k) {
            const int iy = (p0 / g.out_w) * g.sh + k / g.kw, ix = (p0 % g.out_w) * g.sw + k % g.kw;
            f = std::max(f, in_f[(iy * g.in_w + ix) * C + c]);
        }
        out.push_back(f + (d.kind == IntLayer::Kind::AvgPool ? std::countr_zero(unsigned(K)) : 0));
    }
    return out;
}

std::vector<int> IntegerModel::code_f(int l) const {
    if (l > 0 && !layers[l - 1].pool_f.empty()) return layers[l - 1].pool_f;
    std::vector<int> f;
    for (const auto& fm : l == 0 ? input_fmt : layers[l - 1].out_fmt) f.push_back(fm.F());
    return f;
}

// Max / power-of-two average over each window, exactly: values are aligned to the window's
// largest fractional-bit count (pool_f holds it, plus log2(window) for the average).
void IntegerModel::pool_outputs(const IntLayer& d, const std::vector<int64_t>& cur,
                                const std::vector<int>& cur_f, std::vector<int64_t>& next) const {
    const WindowGeometry& g = d.geom;
    const int K = g.kh * g.kw, C = g.in_c,
              shift_avg = d.kind == IntLayer::Kind::AvgPool ? std::countr_zero(unsigned(K)) : 0;
    for (int p = 0; p < g.positions(); ++p)
        for (int c = 0; c < C; ++c) {
            const int e = p * C + c, f = d.pool_f[e] - shift_avg;
            Wide best = 0, sum = 0;
            for (int k = 0; k < K; ++k) {
                const int iy = (p / g.out_w) * g.sh + k / g.kw,
                          ix = (p % g.out_w) * g.sw + k % g.kw;
                const int idx = (iy * g.in_w + ix) * C + c;
                const Wide v = Wide(cur[idx]) << (f - cur_f[idx]);
                best = k == 0 ? v : std::max(best, v);
                sum += v;
            }
            next[e] = int64_t(d.kind == IntLayer::Kind::MaxPool ? best : sum);
        }
}

namespace {
// One output element from its plan: int64 where the plan proved it exact, else 128-bit.
int64_t planned_output(const IntLayer& d, const IntLayerPlan& plan, const IntOutputPlan& o,
                       const std::vector<int64_t>& cur, int e, bool& overflowed) {
    Wide acc;
    if (o.small) {
        int64_t a = int64_t(o.bias);
        for (int32_t t = o.begin; t < o.end; ++t) {
            const IntTerm& term = plan.terms[t];
            a += (cur[term.idx] * term.w) * (int64_t(1) << term.shift);
        }
        acc = a;
    } else {
        acc = o.bias;
        for (int32_t t = o.begin; t < o.end; ++t) {
            const IntTerm& term = plan.terms[t];
            acc += (Wide(cur[term.idx]) * term.w) << term.shift;
        }
    }
    if (d.relu && acc < 0) acc = 0;
    return quantize_code(acc, o.acc_f, d.out_fmt[e], &overflowed);
}
}  // namespace

bool IntegerModel::run_sample(const Scalar* x, std::vector<std::vector<int64_t>*>& out, int64_t row,
                              std::vector<int64_t>& overflows,
                              const std::vector<IntLayerPlan>& plans) const {
    const int F = int(input_fmt.size());
    bool any = false;
    std::vector<int64_t> cur(F), next;
    std::vector<int> cur_f = code_f(0);
    for (int i = 0; i < F; ++i) {
        Wide m;
        int f;
        exact_from_double(double(x[i]), m, f);
        bool ov = false;
        cur[i] = quantize_code(m, f, input_fmt[i], &ov);
        overflows[0] += ov;
        any |= ov;
    }
    std::copy(cur.begin(), cur.end(), out[0]->begin() + row * F);
    for (size_t l = 0; l < layers.size(); ++l) {
        const IntLayer& d = layers[l];
        next.assign(d.elements, 0);
        if (d.kind == IntLayer::Kind::Dense || d.kind == IntLayer::Kind::Conv) {
            const IntLayerPlan& plan = plans[l];
            for (size_t e = 0; e < plan.outputs.size(); ++e) {
                bool ov = false;
                next[e] = planned_output(d, plan, plan.outputs[e], cur, int(e), ov);
                overflows[l + 1] += ov;
                any |= ov;
            }
        } else if (d.kind == IntLayer::Kind::Flatten) {
            next = cur;
        } else {
            pool_outputs(d, cur, cur_f, next);
        }
        cur.swap(next);
        cur_f = code_f(int(l) + 1);
        std::copy(cur.begin(), cur.end(), out[l + 1]->begin() + row * d.elements);
    }
    return any;
}

IntTrace IntegerModel::run(const Mat& x, int threads, bool batched) const {
    const int64_t N = x.rows();
    IntTrace t;
    t.codes.resize(layers.size() + 1);
    for (size_t l = 0; l <= layers.size(); ++l) t.codes[l].resize(N * int64_t(width(int(l))));
    t.sample_overflow.assign(N, 0);
    const int n = threads_for(N, threads);
    std::vector<std::vector<int64_t>> ov(n, std::vector<int64_t>(layers.size() + 1, 0));
    const std::vector<IntLayerPlan> plans = make_plans(*this);
    // Blocks of at most ~8k GEMM rows (samples × conv positions): the im2col block stays in
    // cache-sized pieces and every thread gets several.
    int positions = 1;
    for (const auto& d : layers)
        if (d.kind == IntLayer::Kind::Conv) positions = std::max(positions, d.geom.positions());
    const int64_t block = std::clamp<int64_t>(8192 / positions, 1, 256);
    parallel_rows(N, threads, [&](RowBlock blk, int th) {
        if (batched) {
            for (int64_t r = blk.begin; r < blk.end; r += block)
                run_block(x, r, std::min(blk.end, r + block), t, ov[th], plans);
            return;
        }
        std::vector<std::vector<int64_t>*> out;
        for (auto& c : t.codes) out.push_back(&c);
        for (int64_t r = blk.begin; r < blk.end; ++r)
            t.sample_overflow[r] = run_sample(x.row(r).data(), out, r, ov[th], plans);
    });
    t.overflows.assign(layers.size() + 1, 0);
    for (const auto& o : ov)
        for (size_t l = 0; l < o.size(); ++l) t.overflows[l] += o[l];
    return t;
}

std::vector<int32_t> IntegerModel::predict(const Mat& x, int threads) const {
    return argmax(run(x, threads));
}

std::vector<int32_t> IntegerModel::argmax(const IntTrace& t) const {
    const auto& logits = t.codes.back();
    const int C = width(int(layers.size()));
    const auto f = code_f(int(layers.size()));
    const int max_f = std::max(0, *std::max_element(f.begin(), f.end()));
    const int64_t N = int64_t(logits.size()) / C;
    std::vector<int32_t> pred(N);
    for (int64_t r = 0; r < N; ++r) {
        Wide best = 0;
        for (int j = 0; j < C; ++j) {  // compare exact values: align to the largest f
            const Wide v = Wide(logits[r * C + j]) << (max_f - f[j]);
            if (j == 0 || v > best) best = v, pred[r] = j;
        }
    }
    return pred;
}

}  // namespace hgq
