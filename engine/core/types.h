// SPDX-License-Identifier: GPL-3.0-or-later
// Tensor types. Batches are row-major matrices: one sample per row, features flattened
// channels-last in the columns, so a per-channel group of a tensor is "column index % C".
#pragma once
#include <Eigen/Core>
#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

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

// a·b for sizes read from files: nullopt when either is negative or the product overflows int64,
// so that a hostile header can never wrap a size to something small before an allocation.
inline std::optional<int64_t> checked_mul(int64_t a, int64_t b) {
    int64_t p = 0;
    if (a < 0 || b < 0 || __builtin_mul_overflow(a, b, &p)) return std::nullopt;
    return p;
}

// The product of `dims` (1 for none), or nullopt as checked_mul.
inline std::optional<int64_t> checked_product(const std::vector<int64_t>& dims) {
    std::optional<int64_t> n = 1;
    for (int64_t d : dims)
        if (!(n = checked_mul(*n, d))) break;
    return n;
}

// Shape of one sample (no batch axis), e.g. {16} for a dense input or {28, 28, 1} for an image.
using Shape = std::vector<int>;

// "28 × 28 × 1", for messages.
inline std::string shape_text(const Shape& s) {
    std::string t;
    for (int d : s) t += (t.empty() ? "" : " × ") + std::to_string(d);
    return t.empty() ? "()" : t;
}

// Elements of one sample. Counted in 64 bits: a shape with a negative dimension or more elements
// than an int holds (Shape and the layers index with int) is refused instead of wrapping.
inline int shape_size(const Shape& s, const char* where = "sample shape") {
    int64_t n = 1;
    for (int d : s) {
        const auto p = checked_mul(n, d);
        if (!p || *p > INT_MAX)
            throw Error::bad_input(
                where,
                "a shape of " + shape_text(s) +
                    (d < 0 ? " has a negative dimension" : " is more than 2147483647 elements"),
                "use smaller samples or layers");
        n = *p;
    }
    return int(n);
}

}  // namespace hgq
