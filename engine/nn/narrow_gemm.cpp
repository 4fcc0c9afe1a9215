// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/narrow_gemm.h"

#include "core/error.h"

#if defined(__AVX512F__) && !defined(HGQ_DOUBLE)
#define HGQ_NARROW_AVX512 1
#include <immintrin.h>
#endif

namespace hgq {

#if defined(HGQ_NARROW_AVX512)
namespace {
constexpr int kRowsAtOnce = 4;  // independent accumulators (8 measured the same)

// c rows [r, r + R) with R ≤ kRowsAtOnce: each output row one n-lane vector, a row of a broadcast
// against the k rows of b held in registers.
template <int R>
inline void product_rows(const float* a, int k, const __m512* b, __mmask16 lanes, __m512 init,
                         bool add, float* c, int n) {
    __m512 acc[R];
    for (int i = 0; i < R; ++i) acc[i] = _mm512_setzero_ps();
    for (int j = 0; j < k; ++j)
        for (int i = 0; i < R; ++i)
            acc[i] = _mm512_fmadd_ps(_mm512_set1_ps(a[i * k + j]), b[j], acc[i]);
    for (int i = 0; i < R; ++i) {
        __m512 v = _mm512_add_ps(init, acc[i]);
        if (add) v = _mm512_add_ps(_mm512_maskz_loadu_ps(lanes, c + i * n), v);
        _mm512_mask_storeu_ps(c + i * n, lanes, v);
    }
}
}  // namespace

bool narrow_gemm_applies(int k, int n) {
    return k >= 1 && k <= 16 && n >= 1 && n <= 16;
}

void narrow_product(const float* a, int64_t rows, int k, const float* b, int n,
                    const float* row_init, bool add, float* c) {
    if (!narrow_gemm_applies(k, n)) throw Error::runtime("narrow_product", "shape out of range");
    const __mmask16 lanes = __mmask16((1u << n) - 1);
    __m512 bv[16];
    for (int j = 0; j < k; ++j) bv[j] = _mm512_maskz_loadu_ps(lanes, b + j * n);
    const __m512 init = row_init ? _mm512_maskz_loadu_ps(lanes, row_init) : _mm512_setzero_ps();
    int64_t r = 0;
    for (; r + kRowsAtOnce <= rows; r += kRowsAtOnce)
        product_rows<kRowsAtOnce>(a + r * k, k, bv, lanes, init, add, c + r * n, n);
    for (; r < rows; ++r) product_rows<1>(a + r * k, k, bv, lanes, init, add, c + r * n, n);
}

// One accumulator per row of g; each row of d is loaded once and met by k broadcasts.
void narrow_transposed_product(const float* a, int64_t rows, int k, const float* d, int n,
                               float* g) {
    if (!narrow_gemm_applies(k, n))
        throw Error::runtime("narrow_transposed_product", "shape out of range");
    const __mmask16 lanes = __mmask16((1u << n) - 1);
    __m512 acc[16];
    for (int j = 0; j < k; ++j) acc[j] = _mm512_setzero_ps();
    for (int64_t r = 0; r < rows; ++r) {
        const __m512 dv = _mm512_maskz_loadu_ps(lanes, d + r * n);
        const float* ar = a + r * k;
        for (int j = 0; j < k; ++j) acc[j] = _mm512_fmadd_ps(_mm512_set1_ps(ar[j]), dv, acc[j]);
    }
    for (int j = 0; j < k; ++j)
        _mm512_mask_storeu_ps(g + j * n, lanes,
                              _mm512_add_ps(_mm512_maskz_loadu_ps(lanes, g + j * n), acc[j]));
}
#else
bool narrow_gemm_applies(int, int) {
    return false;
}
void narrow_product(const Scalar*, int64_t, int, const Scalar*, int, const Scalar*, bool, Scalar*) {
    throw Error::runtime("narrow_product", "not built for this target");
}
void narrow_transposed_product(const Scalar*, int64_t, int, const Scalar*, int, Scalar*) {
    throw Error::runtime("narrow_transposed_product", "not built for this target");
}
#endif

}  // namespace hgq
