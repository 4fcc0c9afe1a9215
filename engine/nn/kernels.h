// SPDX-License-Identifier: GPL-3.0-or-later
// Free kernels on batches, parallel over row blocks (core/parallel.h).
#pragma once
#include <random>

#include "core/types.h"

namespace hgq {

// out (a.cols, b.cols) = aᵀ·b, reduced over the rows (the batch) with per-thread partial sums.
void matmul_tn(const Mat& a, const Mat& b, Mat& out, int threads);
// out (N, k) = a (N, m) · b (m, k) (+ bias row), parallel over rows of a.
void matmul_rows(const Mat& a, const Mat& b, Mat& out, int threads);
// Column means and biased (population) variances of z (N, m).
void column_mean_var(const Mat& z, RowVec& mean, RowVec& var);

// Deterministic uniform(−limit, limit) fill (Glorot-uniform init), the same on every platform.
void fill_uniform(Scalar* data, int64_t n, Scalar limit, uint64_t seed);

}  // namespace hgq
