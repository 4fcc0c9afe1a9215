// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/conv_geometry.h"

#include <algorithm>

#include "core/error.h"
#include "core/parallel.h"

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

// A kernel row (ky) of a patch reads kw·C consecutive input values when it is inside the image,
// so patches are copied one kernel row at a time; only border positions go entry by entry.
void im2col_row(const WindowGeometry& g, const Scalar* x, Scalar* cols) {
    const int K = g.patch(), run = g.kw * g.in_c;
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
                    const Scalar* src = line + int64_t(ix0) * g.in_c;
                    for (int t = 0; t < run; ++t) dst[t] = src[t];
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
                    Scalar* dst = line + int64_t(ix0) * g.in_c;
                    for (int t = 0; t < run; ++t) dst[t] += src[t];
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
        for (int64_t n = b.begin; n < b.end; ++n)
            im2col_row(g, x.row(n).data(), cols.data() + n * P * K);
    });
}

void col2im(const WindowGeometry& g, const Mat& dcols, Mat& dx, int threads) {
    const int64_t P = g.positions(), K = g.patch(), N = dcols.rows() / P;
    dx.resize(N, g.in_size());
    parallel_rows(N, threads, [&](RowBlock b, int) {
        dx.middleRows(b.begin, b.size()).setZero();  // zeroed by the worker that sums into it
        for (int64_t n = b.begin; n < b.end; ++n)
            col2im_row(g, dcols.data() + n * P * K, dx.row(n).data());
    });
}

}  // namespace hgq
