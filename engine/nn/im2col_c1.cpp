// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/im2col_c1.h"

#include <type_traits>

#include "core/error.h"

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace hgq {

#if defined(__AVX512F__)
namespace {

// Output float j of a 16-position block is entry k = j % 9 of position i = j / 9: input row
// k / 3, column i + k % 3 of the 18 the block reads (a register pair holds columns 0–31). Nine
// output vectors of 16 lanes: for each, the column per lane and a lane mask per input row.
struct BlockTables {
    int32_t column[9][16] = {};
    uint16_t from_row[9][3] = {};
};

constexpr BlockTables make_tables() {
    BlockTables t;
    for (int j = 0; j < 144; ++j) {
        const int v = j / 16, lane = j % 16, i = j / 9, k = j % 9;
        t.column[v][lane] = i + k % 3;
        t.from_row[v][k / 3] = uint16_t(t.from_row[v][k / 3] | (1u << lane));
    }
    return t;
}

constexpr BlockTables kTables = make_tables();

// Positions ox0 … ox0 + 15 of output row oy: 144 floats at `dst`.
inline void block(const float* r0, const float* r1, const float* r2, float* dst) {
    const __m512 a0 = _mm512_loadu_ps(r0), a1 = _mm512_loadu_ps(r1), a2 = _mm512_loadu_ps(r2);
    // Columns 16 and 17 only: masked loads never touch memory past the window's last column.
    const __m512 b0 = _mm512_maskz_loadu_ps(0x3, r0 + 16), b1 = _mm512_maskz_loadu_ps(0x3, r1 + 16),
                 b2 = _mm512_maskz_loadu_ps(0x3, r2 + 16);
    for (int v = 0; v < 9; ++v) {
        const __m512i col = _mm512_loadu_si512(kTables.column[v]);
        __m512 o = _mm512_permutex2var_ps(a0, col, b0);
        o = _mm512_mask_mov_ps(o, kTables.from_row[v][1], _mm512_permutex2var_ps(a1, col, b1));
        o = _mm512_mask_mov_ps(o, kTables.from_row[v][2], _mm512_permutex2var_ps(a2, col, b2));
        _mm512_storeu_ps(dst + 16 * v, o);
    }
}

}  // namespace
#endif

bool im2col_c1_3x3_applies(const WindowGeometry& g) {
#if defined(__AVX512F__)
    return std::is_same_v<Scalar, float> && g.in_c == 1 && g.kh == 3 && g.kw == 3 && g.sh == 1 &&
           g.sw == 1 && g.pad_top == 0 && g.pad_left == 0 && g.out_h == g.in_h - 2 &&
           g.out_w == g.in_w - 2 && g.out_w >= 16;
#else
    (void)g;
    return false;
#endif
}

namespace {
// A template so the float-only body is not compiled for the float64 engine.
template <class T>
void im2col_c1_3x3_impl(const WindowGeometry& g, const T* x, T* cols) {
#if defined(__AVX512F__)
    if constexpr (std::is_same_v<T, float>) {
        const int W = g.in_w;
        for (int oy = 0; oy < g.out_h; ++oy) {
            const float* r0 = x + int64_t(oy) * W;
            float* row = cols + int64_t(oy) * g.out_w * 9;
            // The last block starts at out_w − 16 and rewrites a few positions with the same
            // values: no scalar tail.
            for (int ox0 = 0; ox0 < g.out_w; ox0 += 16) {
                const int s = ox0 + 16 <= g.out_w ? ox0 : g.out_w - 16;
                block(r0 + s, r0 + W + s, r0 + 2 * W + s, row + int64_t(s) * 9);
            }
        }
        return;
    }
#endif
    (void)g, (void)x, (void)cols;
    throw Error::runtime("im2col", "the single-channel 3x3 path does not apply to this build");
}
}  // namespace

void im2col_c1_3x3(const WindowGeometry& g, const Scalar* x, Scalar* cols) {
    im2col_c1_3x3_impl<Scalar>(g, x, cols);
}

}  // namespace hgq
