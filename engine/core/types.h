// SPDX-License-Identifier: GPL-3.0-or-later
// Tensor types. Batches are row-major matrices: one sample per row, features flattened
// channels-last in the columns, so a per-channel group of a tensor is "column index % C".
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <vector>

namespace hgq {

// The training engine computes in float32; the test build (HGQ_DOUBLE) instantiates the very same
// code in float64 so that golden values and finite-difference checks can be held to 1e-9.
#ifdef HGQ_DOUBLE
using Scalar = double;
#else
using Scalar = float;
#endif

using Mat = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vec = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
using RowVec = Eigen::Matrix<Scalar, 1, Eigen::Dynamic>;
using IVec = Eigen::Matrix<int32_t, Eigen::Dynamic, 1>;
using MatMap = Eigen::Map<Mat>;
using ConstMatMap = Eigen::Map<const Mat>;

// Shape of one sample (no batch axis), e.g. {16} for a dense input or {28, 28, 1} for an image.
using Shape = std::vector<int>;
inline int shape_size(const Shape& s) {
    int n = 1;
    for (int d : s) n *= d;
    return n;
}

}  // namespace hgq
