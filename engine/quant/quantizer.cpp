// SPDX-License-Identifier: GPL-3.0-or-later
#include "quant/quantizer.h"
#include "quant/quantize_flat.h"

#include <algorithm>
#include <cmath>

namespace hgq {
namespace {

using GroupView =
    Eigen::Map<const Eigen::Array<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;
using GroupViewMut =
    Eigen::Map<Eigen::Array<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;

// splitmix64: a tiny, fully specified generator for stochastic rounding.
inline uint64_t splitmix(uint64_t& s) {
    uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
inline Scalar uniform01(uint64_t& s) {
    return Scalar((splitmix(s) >> 11) * 0x1.0p-53);
}

}  // namespace

void Quantizer::build(Role role, int n, int channels, Granularity g, Rounding r, bool relu_after) {
    role_ = role;
    n_ = n;
    channels_ = channels;
    relu_ = relu_after;
    rounding_ = r;
    const int G = g == Granularity::PerElement ? n : g == Granularity::PerChannel ? channels : 1;
    F = RowVec::Zero(G);
    dF = RowVec::Zero(G);
    reset_registers();
    prepare();
}

void Quantizer::prepare() {
    F = F.cwiseMax(-kFClip).cwiseMin(kFClip);
    scale_.resize(F.size());
    inv_scale_.resize(F.size());
    for (int g = 0; g < F.size(); ++g) {
        const int f = round_f(F[g]);
        scale_[g] = pow2(f);
        inv_scale_[g] = pow2(-f);
    }
}

void Quantizer::quantize(const Scalar* x, Scalar* q, Scalar* err, int64_t count, bool training,
                         uint64_t rng_seed) const {
    const int64_t G = F.size(), rows = count / G;
    if (G == 1 && !(rounding_ == Rounding::Stochastic && training)) {
        // Layer-wise: one flat vector, so Eigen vectorises along it rather than along rows of one.
        const auto X1 = Eigen::Map<const Eigen::Array<Scalar, Eigen::Dynamic, 1>>(x, count);
        auto Q1 = Eigen::Map<Eigen::Array<Scalar, Eigen::Dynamic, 1>>(q, count);
        auto E1 = Eigen::Map<Eigen::Array<Scalar, Eigen::Dynamic, 1>>(err, count);
        const Scalar s1 = scale_[0], inv1 = inv_scale_[0];
        const Scalar half = rounding_ == Rounding::TRN ? Scalar(0) : Scalar(0.5);
        Q1 = ((X1 * s1) + half).floor() * inv1;
        E1 = X1 - Q1;
        return;
    }
    GroupView X(x, rows, G);
    GroupViewMut Q(q, rows, G), E(err, rows, G);
    const auto s = scale_.array(), inv = inv_scale_.array();
    if (rounding_ == Rounding::TRN) {
        Q = (X.rowwise() * s).floor().rowwise() * inv;
    } else if (rounding_ == Rounding::Stochastic && training) {
        uint64_t state = rng_seed;
        for (int64_t r = 0; r < rows; ++r)
            for (int64_t g = 0; g < G; ++g) {
                const Scalar y = X(r, g) * s[g], fl = std::floor(y);
                Q(r, g) = (fl + (uniform01(state) < y - fl ? 1 : 0)) * inv[g];
            }
    } else {
        Q = ((X.rowwise() * s) + Scalar(0.5)).floor().rowwise() * inv;
    }
    E = X - Q;
}

void Quantizer::quantize_output(Scalar* z, Scalar* y, int64_t count, bool training,
                                uint64_t rng_seed, RowVec* mn, RowVec* mx, bool relu) const {
    const int64_t G = F.size();
    const bool stochastic = rounding_ == Rounding::Stochastic && training;
    if (G == 1 && !stochastic) {
        const Scalar half = rounding_ == Rounding::TRN ? Scalar(0) : Scalar(0.5);
        quantize_flat(z, y, count, scale_[0], inv_scale_[0], half, relu, mn ? mn->data() : nullptr,
                      mn ? mx->data() : nullptr);
        return;
    }
    if (stochastic) {  // one group or several: the stream is drawn element by element
        quantize(z, y, z, count, training, rng_seed);
        if (mn) accumulate_minmax(y, count, *mn, *mx);
        if (relu) {
            auto Y = Eigen::Map<Eigen::Array<Scalar, Eigen::Dynamic, 1>>(y, count);
            Y = Y.cwiseMax(Scalar(0));
        }
        return;
    }
    using Row = Eigen::Map<Eigen::Array<Scalar, 1, Eigen::Dynamic>>;
    const auto s = scale_.array(), inv = inv_scale_.array();
    const Scalar half = rounding_ == Rounding::TRN ? Scalar(0) : Scalar(0.5);
    for (int64_t r = 0; r < count / G; ++r) {
        Row zr(z + r * G, G), yr(y + r * G, G);  // (G) each
        yr = ((zr * s) + half).floor() * inv;
        zr -= yr;
        if (mn) {
            *mn = mn->cwiseMin(yr.matrix());
            *mx = mx->cwiseMax(yr.matrix());
        }
        if (relu) yr = yr.cwiseMax(Scalar(0));
    }
}

void Quantizer::record(const Scalar* q, int64_t count) {
    RowVec mn = min_, mx = max_;
    accumulate_minmax(q, count, mn, mx);
    merge_registers(mn, mx);
}

// Row by row: each row of G values is contiguous, so the min/max vectorise across groups.
void Quantizer::accumulate_minmax(const Scalar* q, int64_t count, RowVec& mn, RowVec& mx) const {
    const int64_t G = F.size();
    if (G == 1) {
        const auto v = Eigen::Map<const RowVec>(q, count);
        mn[0] = std::min(mn[0], v.minCoeff());
        mx[0] = std::max(mx[0], v.maxCoeff());
        return;
    }
    for (int64_t r = 0; r < count / G; ++r) {
        const auto row = Eigen::Map<const RowVec>(q + r * G, G);
        mn = mn.cwiseMin(row);
        mx = mx.cwiseMax(row);
    }
}

void Quantizer::accumulate_surrogate(const Scalar* dq, const Scalar* err, int64_t count,
                                     RowVec& acc) const {
    const int64_t G = F.size();
    if (G == 1) {
        acc[0] += Eigen::Map<const RowVec>(dq, count).dot(Eigen::Map<const RowVec>(err, count));
        return;
    }
    for (int64_t r = 0; r < count / G; ++r)
        acc.array() += Eigen::Map<const RowVec>(dq + r * G, G).array() *
                       Eigen::Map<const RowVec>(err + r * G, G).array();
}

void Quantizer::merge_registers(const RowVec& mn, const RowVec& mx) {
    min_ = min_.cwiseMin(mn);
    max_ = max_.cwiseMax(mx);
}

void Quantizer::reset_registers() {
    min_ = RowVec::Constant(F.size(), std::numeric_limits<Scalar>::infinity());
    max_ = RowVec::Constant(F.size(), -std::numeric_limits<Scalar>::infinity());
}

void Quantizer::surrogate_grad(const Scalar* dq, const Scalar* err, int64_t count) {
    RowVec acc = RowVec::Zero(F.size());
    accumulate_surrogate(dq, err, count, acc);
    dF += kLn2 * acc;
}

RowVec Quantizer::activation_bits() const {
    RowVec bits(F.size());
    for (int g = 0; g < F.size(); ++g) {
        // Range of what was recorded; empty registers (nothing seen yet) mean nothing to carry.
        const Scalar lo = std::isfinite(min_[g]) ? min_[g] : 0;
        const Scalar hi = std::isfinite(max_[g]) ? max_[g] : 0;
        const Scalar a = relu_ ? std::max(hi, Scalar(0)) : std::max(std::fabs(lo), std::fabs(hi));
        const int k = (!relu_ && lo < 0) ? 1 : 0;
        const int i = a > 0 ? floor_log2(a) + 1 : kMinusInfBits;
        bits[g] = static_cast<Scalar>(std::max(0, i + round_f(F[g]) + k));
    }
    return bits;
}

void Quantizer::weight_bits(const Scalar* q, Scalar* bits) const {
    const int G = groups();
    if (G == n_) {  // per weight: no group maximum to take
        for (int e = 0; e < n_; ++e)
            bits[e] = q[e] == 0
                          ? 0
                          : Scalar(std::max(0, floor_log2(std::fabs(q[e])) + 1 + round_f(F[e])));
        return;
    }
    std::vector<int> int_bits(G, kMinusInfBits);
    for (int e = 0; e < n_; ++e)
        if (q[e] != 0) int_bits[e % G] = std::max(int_bits[e % G], floor_log2(std::fabs(q[e])) + 1);
    for (int e = 0; e < n_; ++e)
        bits[e] = static_cast<Scalar>(std::max(0, int_bits[e % G] + round_f(F[e % G])));
}

void Quantizer::bits_grad(const RowVec& group_grad, const RowVec& group_bits, Scalar extra) {
    const Scalar scale = Scalar(1) / std::sqrt(Scalar(degeneracy()) * extra);
    for (int g = 0; g < F.size(); ++g)
        if (group_bits[g] > 0) dF[g] += group_grad[g] * scale;
}

void Quantizer::init_constant(Scalar init_bits) {
    F.setConstant(init_bits);
    prepare();
}

void Quantizer::init_from_weights(const Scalar* w, Scalar init_bits) {
    F.setConstant(std::numeric_limits<Scalar>::infinity());
    for (int e = 0; e < n_; ++e) {
        const Scalar a = std::fabs(w[e]);
        if (a > 0) F[e % groups()] = std::min(F[e % groups()], init_bits - std::log2(a));
    }
    prepare();  // zero weights (+inf) land on the +23 clip
}

std::vector<int> Quantizer::bias_groups() const {
    const int G = groups();
    std::vector<int> best(channels_, 0);
    for (int c = 0; c < channels_; ++c) {
        if (G == 1) continue;
        best[c] = c;  // G is a multiple of channels: the channel's groups are c, c+C, c+2C, ...
        for (int g = c; g < G; g += channels_)
            if (F[g] > F[best[c]]) best[c] = g;
    }
    return best;
}

std::vector<FixedType> Quantizer::exact_types() const {
    return exact_types(min_, max_);
}

std::vector<FixedType> Quantizer::exact_types(const RowVec& mn, const RowVec& mx) const {
    std::vector<FixedType> types(F.size());
    for (int g = 0; g < F.size(); ++g) {
        FixedType t;
        t.f = round_f(F[g]);
        const Scalar lo = std::isfinite(mn[g]) ? mn[g] : 0;
        const Scalar hi = std::isfinite(mx[g]) ? mx[g] : 0;
        if (relu_) {
            t.k = 0;
            t.i = hi > 0 ? floor_log2(hi) + 1 : kMinusInfBits;
        } else {
            t.k = lo < 0 ? 1 : 0;
            const Scalar top = std::fabs(hi + pow2(-t.f));
            int i = top > 0 ? ceil_log2(top) : kMinusInfBits;
            if (lo != 0) i = std::max(i, ceil_log2(std::fabs(lo)));
            t.i = i;
        }
        t.i = std::clamp(t.i, -t.f - t.k, 32);
        if (t.bits() == 0) t = FixedType{};
        types[g] = t;
    }
    return types;
}

void quantize_bias(const Quantizer& oq, const std::vector<int>& groups, const Scalar* v, Scalar* q,
                   Scalar* err) {
    for (size_t c = 0; c < groups.size(); ++c) {
        const Scalar s = oq.scale()[groups[c]];
        // A bias is one value per channel, not a stream: stochastic rounding would only add
        // variance, so it rounds to nearest (as at inference).
        const Rounding r = oq.rounding() == Rounding::Stochastic ? Rounding::RND : oq.rounding();
        q[c] = round_value(v[c] * s, r) / s;
        err[c] = v[c] - q[c];
    }
}

void bias_surrogate_grad(Quantizer& oq, const std::vector<int>& groups, const Scalar* dq,
                         const Scalar* err) {
    for (size_t c = 0; c < groups.size(); ++c) oq.dF[groups[c]] += kLn2 * dq[c] * err[c];
}

}  // namespace hgq
