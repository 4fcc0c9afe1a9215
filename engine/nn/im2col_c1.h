// SPDX-License-Identifier: GPL-3.0-or-later
// im2col for a single-channel image and a 3×3 window at stride 1 (a CNN's first convolution on
// grey images: 28×28 → 26×26 patches of 9). The generic path copies each patch as three 3-float
// runs, 3.9 ns a patch, and the first convolution rebuilds its patches four times a step (the
// batch-statistics, forward, kernel-gradient and input-gradient passes). With AVX-512, 16
// positions at a time: three input rows in registers, nine 16-lane permutes per row.
#pragma once
#include "core/types.h"
#include "nn/conv_geometry.h"

namespace hgq {

// Whether im2col_c1_3x3 handles `g` in this build (float, AVX-512, in_c 1, 3×3, stride 1, no
// padding, at least 16 output columns).
bool im2col_c1_3x3_applies(const WindowGeometry& g);
// x (H·W) of one sample → cols (P, 9), the same values as im2col_row.
void im2col_c1_3x3(const WindowGeometry& g, const Scalar* x, Scalar* cols);

}  // namespace hgq
