// SPDX-License-Identifier: GPL-3.0-or-later
// The integer model over a block of samples, layer by layer. A dense or conv layer whose every
// output provably stays below 2^53 units of its accumulator (IntOutputPlan::exact53) is one
// double GEMM: inputs code·2^-f, weights code·2^-f, every product and every partial sum an exact
// multiple of the accumulator's LSB below 2^53, so the sum is exact in any order; the result
// times 2^acc_f is the exact integer the per-sample path sums, and the same quantize_code casts
// it. The other layers (and the rare wide ones) keep the per-sample integer path.
#include <Eigen/Core>
#include <cmath>

#include "deploy/integer_model.h"
#include "deploy/integer_plan.h"

namespace hgq {
namespace {

using MatD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

int64_t one_output(const IntLayer& d, const IntLayerPlan& plan, const IntOutputPlan& o,
                   const int64_t* cur, int e, bool& overflowed) {
    Wide acc = o.bias;
    for (int32_t t = o.begin; t < o.end; ++t) {
        const IntTerm& term = plan.terms[t];
        acc += (Wide(cur[term.idx]) * term.w) << term.shift;
    }
    if (d.relu && acc < 0) acc = 0;
    return quantize_code(acc, o.acc_f, d.out_fmt[e], &overflowed);
}

struct LayerIo {
    const std::vector<int64_t>& in;  // (N, in width) codes of the whole run
    std::vector<int64_t>& out;       // (N, elements)
    int in_width;
};

// (B·P, K) · (K, out): one row per sample and position; then the exact cast per element.
void gemm_layer(const IntLayer& d, const IntLayerPlan& plan, LayerIo io, int64_t r0, int64_t B,
                IntTrace& t, int64_t& overflows) {
    const bool conv = d.kind == IntLayer::Kind::Conv;
    const int K = d.in, O = d.out, P = conv ? d.geom.positions() : 1;
    const std::vector<double>& scale = plan.in_scale;
    MatD X(B * P, K);
    for (int64_t b = 0; b < B; ++b) {
        const int64_t* row = io.in.data() + (r0 + b) * io.in_width;
        for (int p = 0; p < P; ++p)
            for (int k = 0; k < K; ++k) {
                const int idx = conv ? d.patch_index[p * K + k] : k;
                X(b * P + p, k) = idx < 0 ? 0.0 : double(row[idx]) * scale[idx];
            }
    }
    const Eigen::Map<const MatD> W(plan.weights.data(), K, O);
    MatD Y(B * P, O);
    Y.noalias() = X * W;
    // × 2^acc_f (plan.unit): a power of two, so the product is exact (an ldexp per element cost
    // more than the GEMM).
    const std::vector<double>& unit = plan.unit;
    for (int64_t b = 0; b < B; ++b)
        for (int p = 0; p < P; ++p)
            for (int j = 0; j < O; ++j) {
                const int e = p * O + j;
                const IntOutputPlan& o = plan.outputs[e];
                Wide acc = Wide(int64_t(Y(b * P + p, j) * unit[size_t(e)])) + o.bias;
                if (d.relu && acc < 0) acc = 0;
                bool ov = false;
                io.out[(r0 + b) * d.elements + e] = quantize_code(acc, o.acc_f, d.out_fmt[e], &ov);
                overflows += ov;
                if (ov) t.sample_overflow[r0 + b] = 1;
            }
}

}  // namespace

void IntegerModel::run_block(const Mat& x, int64_t r0, int64_t r1, IntTrace& t,
                             std::vector<int64_t>& overflows,
                             const std::vector<IntLayerPlan>& plans) const {
    const int F = int(input_fmt.size());
    for (int64_t r = r0; r < r1; ++r)
        for (int i = 0; i < F; ++i) {
            Wide m;
            int f;
            exact_from_double(double(x(r, i)), m, f);
            bool ov = false;
            t.codes[0][r * F + i] = quantize_code(m, f, input_fmt[i], &ov);
            overflows[0] += ov;
            if (ov) t.sample_overflow[r] = 1;
        }
    std::vector<int64_t> cur, next;
    for (size_t l = 0; l < layers.size(); ++l) {
        const IntLayer& d = layers[l];
        const int w_in = width(int(l));
        const std::vector<int> cur_f = code_f(int(l));
        LayerIo io{t.codes[l], t.codes[l + 1], w_in};
        const bool kernel = d.kind == IntLayer::Kind::Dense || d.kind == IntLayer::Kind::Conv;
        if (kernel && plans[l].gemm) {
            gemm_layer(d, plans[l], io, r0, r1 - r0, t, overflows[l + 1]);
            continue;
        }
        for (int64_t r = r0; r < r1; ++r) {
            const int64_t* in = io.in.data() + r * w_in;
            int64_t* out = io.out.data() + r * d.elements;
            if (kernel) {
                for (size_t e = 0; e < plans[l].outputs.size(); ++e) {
                    bool ov = false;
                    out[e] = one_output(d, plans[l], plans[l].outputs[e], in, int(e), ov);
                    overflows[l + 1] += ov;
                    if (ov) t.sample_overflow[r] = 1;
                }
            } else if (d.kind == IntLayer::Kind::Flatten) {
                std::copy(in, in + w_in, out);
            } else {
                cur.assign(in, in + w_in);
                next.assign(d.elements, 0);
                pool_outputs(d, cur, cur_f, next);
                std::copy(next.begin(), next.end(), out);
            }
        }
    }
}

}  // namespace hgq
