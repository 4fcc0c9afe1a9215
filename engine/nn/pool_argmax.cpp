// SPDX-License-Identifier: GPL-3.0-or-later
// The per-sample max pool of a convolution fused with its pool (nn/conv_pooled.cpp): the window
// maxima with a carried tensor, and the gradient put back at the argmax. Both run on one sample
// in cache; with 16 channels (the Fashion-MNIST CNN) and AVX-512, a window entry is one vector.
#include <algorithm>

#include "nn/passive.h"

// The vector kernels are float32 (the product); the float64 test build takes the loops.
#if defined(__AVX512F__) && !defined(HGQ_DOUBLE)
#define HGQ_POOL_AVX512 1
#include <immintrin.h>
#endif

namespace hgq {
namespace {

// Window entry k into the running maxima, carrying a second input's value at the winner. Free
// functions with __restrict parameters: GCC vectorises them, where the same loops written
// inline in a compile-time-sized loop nest stayed scalar (3× slower).
void max_carry_step(const Scalar* __restrict v, const Scalar* __restrict cv, int32_t k, int C,
                    Scalar* __restrict out, Scalar* __restrict carry_out, int32_t* __restrict arg) {
    for (int c = 0; c < C; ++c) {
        const bool greater = v[c] > out[c];  // strictly: the first maximum wins ties
        arg[c] = greater ? k : arg[c];
        out[c] = greater ? v[c] : out[c];
        carry_out[c] = greater ? cv[c] : carry_out[c];
    }
}

// Window entry k of one output position: the gradient as Pool::backward lands it (0 + dy) times
// the ReLU mask of the pooled output where k is the argmax, zero elsewhere; the same for carry.
void scatter_step(const int32_t* __restrict arg, int32_t k, int C, const Scalar* __restrict dy,
                  const Scalar* __restrict y, const Scalar* __restrict carry, bool relu,
                  Scalar* __restrict dy_in, Scalar* __restrict carry_in) {
    for (int c = 0; c < C; ++c) {
        const Scalar g = (Scalar(0) + dy[c]) * (relu ? Scalar(y[c] > 0) : Scalar(1));
        dy_in[c] = arg[c] == k ? g : Scalar(0);
    }
    if (carry_in)
        for (int c = 0; c < C; ++c) carry_in[c] = arg[c] == k ? carry[c] : Scalar(0);
}

#if defined(HGQ_POOL_AVX512)
// 16 channels: the same operations, one vector per window entry.
void max_carry_16(const int32_t* base, int P, int K, const float* in, const float* carry,
                  float* out, float* carry_out, int32_t* arg) {
    for (int p = 0; p < P; ++p, base += K, out += 16, carry_out += 16, arg += 16) {
        __m512 m = _mm512_loadu_ps(in + base[0]);
        __m512 cm = _mm512_loadu_ps(carry + base[0]);
        __m512i a = _mm512_setzero_si512();
        for (int k = 1; k < K; ++k) {
            const __m512 v = _mm512_loadu_ps(in + base[k]);
            const __mmask16 greater = _mm512_cmp_ps_mask(v, m, _CMP_GT_OQ);
            m = _mm512_mask_mov_ps(m, greater, v);
            cm = _mm512_mask_mov_ps(cm, greater, _mm512_loadu_ps(carry + base[k]));
            a = _mm512_mask_mov_epi32(a, greater, _mm512_set1_epi32(k));
        }
        _mm512_storeu_ps(out, m);
        _mm512_storeu_ps(carry_out, cm);
        _mm512_storeu_si512(arg, a);
    }
}

void scatter_16(const int32_t* base, int P, int K, const int32_t* arg, const float* dy,
                const float* y, const float* carry, bool relu, float* dy_in, float* carry_in) {
    const __m512 zero = _mm512_setzero_ps(), one = _mm512_set1_ps(1.0f);
    for (int p = 0; p < P; ++p, base += K, arg += 16, dy += 16, y += 16, carry += 16) {
        const __m512 mask =
            relu
                ? _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(_mm512_loadu_ps(y), zero, _CMP_GT_OQ), one)
                : one;
        const __m512 g = _mm512_mul_ps(_mm512_add_ps(zero, _mm512_loadu_ps(dy)), mask);
        const __m512i a = _mm512_loadu_si512(arg);
        const __m512 cv = carry_in ? _mm512_loadu_ps(carry) : zero;
        for (int k = 0; k < K; ++k) {
            const __mmask16 hit = _mm512_cmpeq_epi32_mask(a, _mm512_set1_epi32(k));
            _mm512_storeu_ps(dy_in + base[k], _mm512_maskz_mov_ps(hit, g));
            if (carry_in) _mm512_storeu_ps(carry_in + base[k], _mm512_maskz_mov_ps(hit, cv));
        }
    }
}
#endif

}  // namespace

void Pool::max_sample(const Scalar* in, const Scalar* carry, int64_t n, Scalar* out,
                      Scalar* carry_out) {
    const int P = g_.positions(), C = g_.in_c, K = g_.kh * g_.kw;
    int32_t* arg = argmax_.data() + n * P * C;
#if defined(HGQ_POOL_AVX512)
    if (C == 16) return max_carry_16(window_base_.data(), P, K, in, carry, out, carry_out, arg);
#endif
    for (int p = 0; p < P; ++p) {
        const int64_t at = int64_t(p) * C;
        const int32_t* base = window_base_.data() + int64_t(p) * K;
        std::copy_n(in + base[0], C, out + at);
        std::copy_n(carry + base[0], C, carry_out + at);
        std::fill_n(arg + at, C, 0);  // window entry 0 unless beaten
        for (int k = 1; k < K; ++k)
            max_carry_step(in + base[k], carry + base[k], k, C, out + at, carry_out + at, arg + at);
    }
}

bool Pool::covers_input() const {
    return g_.sh == g_.kh && g_.sw == g_.kw && g_.out_h * g_.sh == g_.in_h &&
           g_.out_w * g_.sw == g_.in_w;
}

// Each window entry is written once, as a blend, so only elements outside every window need a
// zero fill first.
void Pool::scatter_masked(int64_t n, const Scalar* dy, const Scalar* y, const Scalar* carry,
                          bool relu, Scalar* dy_in, Scalar* carry_in) const {
    const int P = g_.positions(), C = g_.in_c, K = g_.kh * g_.kw;
    if (!covers_input()) {
        std::fill(dy_in, dy_in + g_.in_size(), Scalar(0));
        if (carry_in) std::fill(carry_in, carry_in + g_.in_size(), Scalar(0));
    }
    const int32_t* arg = argmax_.data() + n * P * C;
#if defined(HGQ_POOL_AVX512)
    if (C == 16)
        return scatter_16(window_base_.data(), P, K, arg, dy, y, carry, relu, dy_in, carry_in);
#endif
    for (int p = 0; p < P; ++p) {
        const int64_t at = int64_t(p) * C;
        for (int k = 0; k < K; ++k) {
            const int32_t base = window_base_[p * K + k];
            scatter_step(arg + at, k, C, dy + at, y + at, carry + at, relu, dy_in + base,
                         carry_in ? carry_in + base : nullptr);
        }
    }
}

}  // namespace hgq
