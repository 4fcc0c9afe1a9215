// SPDX-License-Identifier: GPL-3.0-or-later
#include "deploy/integer_model.h"

#include <algorithm>

#include "core/parallel.h"

namespace hgq {

std::vector<int> IntegerModel::code_f(int l) const {
    std::vector<int> f;
    const auto& fmts = l == 0 ? input_fmt : layers[l - 1].out_fmt;
    for (const auto& fm : fmts) f.push_back(fm.F());
    return f;
}

// One sample through every layer. Sums are exact: each product c·w sits at f_in + f_w fractional
// bits and is aligned (left shift) to the largest fractional-bit count of its output's terms.
bool IntegerModel::run_sample(const Scalar* x, std::vector<std::vector<int64_t>*>& out, int64_t row,
                              std::vector<int64_t>& overflows) const {
    int64_t before = 0;
    for (int64_t o : overflows) before += o;
    const int F = int(input_fmt.size());
    std::vector<int64_t> cur(F), next;
    std::vector<int> cur_f(F);
    for (int i = 0; i < F; ++i) {
        Wide m;
        int f;
        exact_from_double(double(x[i]), m, f);
        bool ov = false;
        cur[i] = quantize_code(m, f, input_fmt[i], &ov);
        cur_f[i] = input_fmt[i].F();
        overflows[0] += ov;
    }
    std::copy(cur.begin(), cur.end(), out[0]->begin() + row * F);
    for (size_t l = 0; l < layers.size(); ++l) {
        const IntDense& d = layers[l];
        next.assign(d.out, 0);
        for (int j = 0; j < d.out; ++j) {
            int acc_f = d.b_f[j];
            for (int i = 0; i < d.in; ++i)
                if (d.w_code[i * d.out + j] != 0) acc_f = std::max(acc_f, cur_f[i] + d.w_f[i * d.out + j]);
            Wide acc = Wide(d.b_code[j]) << (acc_f - d.b_f[j]);
            for (int i = 0; i < d.in; ++i) {
                const int64_t w = d.w_code[i * d.out + j];
                if (w == 0 || cur[i] == 0) continue;
                acc += (Wide(cur[i]) * w) << (acc_f - cur_f[i] - d.w_f[i * d.out + j]);
            }
            if (d.relu && acc < 0) acc = 0;
            bool ov = false;
            next[j] = quantize_code(acc, acc_f, d.out_fmt[j], &ov);
            overflows[l + 1] += ov;
        }
        cur.swap(next);
        cur_f.resize(d.out);
        for (int j = 0; j < d.out; ++j) cur_f[j] = d.out_fmt[j].F();
        std::copy(cur.begin(), cur.end(), out[l + 1]->begin() + row * d.out);
    }
    int64_t after = 0;
    for (int64_t o : overflows) after += o;
    return after != before;
}

IntTrace IntegerModel::run(const Mat& x, int threads) const {
    const int64_t N = x.rows();
    IntTrace t;
    t.codes.resize(layers.size() + 1);
    t.codes[0].resize(N * int64_t(input_fmt.size()));
    t.sample_overflow.assign(N, 0);
    for (size_t l = 0; l < layers.size(); ++l) t.codes[l + 1].resize(N * int64_t(layers[l].out));
    const int n = threads_for(N, threads);
    std::vector<std::vector<int64_t>> ov(n, std::vector<int64_t>(layers.size() + 1, 0));
    parallel_rows(N, threads, [&](RowBlock blk, int th) {
        std::vector<std::vector<int64_t>*> out;
        for (auto& c : t.codes) out.push_back(&c);
        for (int64_t r = blk.begin; r < blk.end; ++r)
            t.sample_overflow[r] = run_sample(x.row(r).data(), out, r, ov[th]);
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
    const IntDense& last = layers.back();
    int max_f = 0;
    for (const auto& fm : last.out_fmt) max_f = std::max(max_f, fm.F());
    const int64_t N = int64_t(logits.size()) / last.out;
    std::vector<int32_t> pred(N);
    for (int64_t r = 0; r < N; ++r) {
        Wide best = 0;
        for (int j = 0; j < last.out; ++j) {  // compare exact values: align to the largest f
            const Wide v = Wide(logits[r * last.out + j]) << (max_f - last.out_fmt[j].F());
            if (j == 0 || v > best) best = v, pred[r] = j;
        }
    }
    return pred;
}

}  // namespace hgq
