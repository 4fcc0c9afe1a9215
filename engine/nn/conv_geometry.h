// SPDX-License-Identifier: GPL-3.0-or-later
// The geometry of a 2-D window over a channels-last sample (H, W, C) — a convolution or a pooling
// window — and the im2col / col2im kernels that turn a convolution into one GEMM. Conv1D is the
// H = 1 case.
#pragma once
#include "core/types.h"

namespace hgq {

struct WindowGeometry {
    int in_h = 1, in_w = 1, in_c = 1;
    int kh = 1, kw = 1;
    int sh = 1, sw = 1;
    int pad_top = 0, pad_left = 0;  // "same" pads (k − 1)/2 before, the rest after (as TF)
    int out_h = 1, out_w = 1;

    // `same`: output = ceil(in / stride); `valid`: floor((in − k) / stride) + 1.
    static WindowGeometry make(int in_h, int in_w, int in_c, int kh, int kw, int sh, int sw,
                               bool same);
    int positions() const { return out_h * out_w; }  // P
    int patch() const { return kh * kw * in_c; }     // K
    int in_size() const { return in_h * in_w * in_c; }
};

// cols (N·P, K) from x (N, H·W·C): row n·P + p holds the patch of output position p, (kh, kw, c)
// row-major; padded positions are 0.
void im2col(const WindowGeometry& g, const Mat& x, Mat& cols, int threads);
// One sample (1, H·W·C) → its patches (P, K), and patch gradients summed back onto the sample's
// positions (dx must hold the sample's running sums; training builds them a chunk at a time).
void im2col_row(const WindowGeometry& g, const Scalar* x, Scalar* cols);
void col2im_row(const WindowGeometry& g, const Scalar* dcols, Scalar* dx);

}  // namespace hgq
