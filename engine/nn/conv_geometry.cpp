// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/conv_geometry.h"
#include "nn/im2col_c1.h"

#include <algorithm>

#include "core/error.h"
#include "core/parallel.h"
#include "core/phase_clock.h"

namespace hgq {

WindowGeometry WindowGeometry::make(int in_h, int in_w, int in_c, int kh, int kw, int sh, int sw,
                                    bool same) {
    WindowGeometry g;
    g.in_h = in_h, g.in_w = in_w, g.in_c = in_c, g.kh = kh, g.kw = kw, g.sh = sh, g.sw = sw;
    if (same) {
        g.out_h = (in_h + sh - 1) / sh;
        g.out_w = (in_w + sw - 1) / sw;
        g.pad_top = std::max(0, (g.out_h - 1) * sh + kh - in_h) / 2;
        g.pad_left = std::max(0, (g.out_w - 1) * sw + kw - in_w) / 2;
    } else {
        if (kh > in_h || kw > in_w)
            throw Error::bad_input("window",
                                   "a " + std::to_string(kh) + "x" + std::to_string(kw) +
                                       " window does not fit a " + std::to_string(in_h) + "x" +
                                       std::to_string(in_w) + " input",
                                   "use padding \"same\" or a smaller kernel");
        g.out_h = (in_h - kh) / sh + 1;
        g.out_w = (in_w - kw) / sw + 1;
    }
    return g;
}

namespace {
// A kernel row's run of kw·C values: 3 (a 3×3 kernel on one channel) and 48 (on 16 channels) are
// the common lengths; a compile-time length unrolls the copy instead of looping over 3 floats.
// A plain copy is a constant-size memcpy, which GCC expands into a few vector moves; written as
// a loop, GCC turned the 48-value copy into a call to memmove (it cannot rule out an overlap),
// 2.5 % of a CNN step in call overhead.
template <bool Add, int R>
inline void move_fixed(const Scalar* src, Scalar* dst) {
    if constexpr (Add) {
        for (int t = 0; t < R; ++t) dst[t] += src[t];
    } else {
        __builtin_memcpy(dst, src, R * sizeof(Scalar));
    }
}
template <bool Add>
inline void move_run(const Scalar* src, Scalar* dst, int run) {
    switch (run) {
        case 3:
            return move_fixed<Add, 3>(src, dst);
        case 6:
            return move_fixed<Add, 6>(src, dst);
        case 48:
            return move_fixed<Add, 48>(src, dst);
        default:
            for (int t = 0; t < run; ++t) dst[t] = Add ? dst[t] + src[t] : src[t];
    }
}

// Valid padding: every window lies inside the image, so a patch is kh runs of R = kw·C values
// with no bounds checks; R known at compile time makes each run a few unrolled moves.
template <int R>
void im2col_valid(const WindowGeometry& g, const Scalar* __restrict x, Scalar* __restrict cols) {
    const int64_t K = g.patch(), line_len = int64_t(g.in_w) * g.in_c;
    for (int oy = 0; oy < g.out_h; ++oy) {
        const Scalar* top = x + int64_t(oy) * g.sh * line_len;
        for (int ox = 0; ox < g.out_w; ++ox) {
            Scalar* row = cols + int64_t(oy * g.out_w + ox) * K;
            const Scalar* src = top + int64_t(ox) * g.sw * g.in_c;
            for (int ky = 0; ky < g.kh; ++ky)
                move_fixed<false, R>(src + ky * line_len, row + ky * R);
        }
    }
}
// col2im's mirror of im2col_valid: every window inside the image, each kernel row of a patch
// gradient added to its R input values with no bounds checks.
template <int R>
void col2im_valid(const WindowGeometry& g, const Scalar* __restrict dcols, Scalar* __restrict dx) {
    const int64_t K = g.patch(), line_len = int64_t(g.in_w) * g.in_c;
    for (int oy = 0; oy < g.out_h; ++oy) {
        Scalar* top = dx + int64_t(oy) * g.sh * line_len;
        for (int ox = 0; ox < g.out_w; ++ox) {
            const Scalar* row = dcols + int64_t(oy * g.out_w + ox) * K;
            Scalar* dst = top + int64_t(ox) * g.sw * g.in_c;
            for (int ky = 0; ky < g.kh; ++ky)
                move_fixed<true, R>(row + ky * R, dst + ky * line_len);
        }
    }
}

bool all_windows_inside(const WindowGeometry& g) {
    return g.pad_top == 0 && g.pad_left == 0 && (g.out_h - 1) * g.sh + g.kh <= g.in_h &&
           (g.out_w - 1) * g.sw + g.kw <= g.in_w;
}
}  // namespace

// A kernel row (ky) of a patch reads kw·C consecutive input values when it is inside the image,
// so patches are copied one kernel row at a time; only border positions go entry by entry.
void im2col_row(const WindowGeometry& g, const Scalar* x, Scalar* cols) {
    const int K = g.patch(), run = g.kw * g.in_c;
    const bool valid = all_windows_inside(g);
    if (im2col_c1_3x3_applies(g)) return im2col_c1_3x3(g, x, cols);
    if (valid && run == 3) return im2col_valid<3>(g, x, cols);
    if (valid && run == 48) return im2col_valid<48>(g, x, cols);
    for (int oy = 0; oy < g.out_h; ++oy)
        for (int ox = 0; ox < g.out_w; ++ox) {
            Scalar* row = cols + int64_t(oy * g.out_w + ox) * K;
            const int ix0 = ox * g.sw - g.pad_left;
            const bool inside_w = ix0 >= 0 && ix0 + g.kw <= g.in_w;
            for (int ky = 0; ky < g.kh; ++ky) {
                const int iy = oy * g.sh + ky - g.pad_top;
                Scalar* dst = row + ky * run;
                if (iy < 0 || iy >= g.in_h) {
                    for (int t = 0; t < run; ++t) dst[t] = 0;
                    continue;
                }
                const Scalar* line = x + int64_t(iy) * g.in_w * g.in_c;  // input row iy
                if (inside_w) {
                    move_run<false>(line + int64_t(ix0) * g.in_c, dst, run);
                    continue;
                }
                for (int kx = 0; kx < g.kw; ++kx) {
                    const int ix = ix0 + kx;
                    const bool in = ix >= 0 && ix < g.in_w;
                    for (int c = 0; c < g.in_c; ++c)
                        dst[kx * g.in_c + c] = in ? line[int64_t(ix) * g.in_c + c] : 0;
                }
            }
        }
}

void col2im_row(const WindowGeometry& g, const Scalar* dcols, Scalar* dx) {
    const int K = g.patch(), run = g.kw * g.in_c;
    const bool valid = all_windows_inside(g);
    if (valid && run == 3) return col2im_valid<3>(g, dcols, dx);
    if (valid && run == 48) return col2im_valid<48>(g, dcols, dx);
    for (int oy = 0; oy < g.out_h; ++oy)
        for (int ox = 0; ox < g.out_w; ++ox) {
            const Scalar* row = dcols + int64_t(oy * g.out_w + ox) * K;
            const int ix0 = ox * g.sw - g.pad_left;
            const bool inside_w = ix0 >= 0 && ix0 + g.kw <= g.in_w;
            for (int ky = 0; ky < g.kh; ++ky) {
                const int iy = oy * g.sh + ky - g.pad_top;
                if (iy < 0 || iy >= g.in_h) continue;
                const Scalar* src = row + ky * run;
                Scalar* line = dx + int64_t(iy) * g.in_w * g.in_c;  // input row iy
                if (inside_w) {
                    move_run<true>(src, line + int64_t(ix0) * g.in_c, run);
                    continue;
                }
                for (int kx = 0; kx < g.kw; ++kx) {
                    const int ix = ix0 + kx;
                    if (ix < 0 || ix >= g.in_w) continue;
                    for (int c = 0; c < g.in_c; ++c)
                        line[int64_t(ix) * g.in_c + c] += src[kx * g.in_c + c];
                }
            }
        }
}

void im2col(const WindowGeometry& g, const Mat& x, Mat& cols, int threads) {
    const int64_t P = g.positions(), K = g.patch();
    cols.resize(x.rows() * P, K);
    parallel_rows(x.rows(), threads, [&](RowBlock b, int) {
        PhaseScope phase(Phase::Layout);
        for (int64_t n = b.begin; n < b.end; ++n)
            im2col_row(g, x.row(n).data(), cols.data() + n * P * K);
    });
}

}  // namespace hgq
