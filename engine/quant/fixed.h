// SPDX-License-Identifier: GPL-3.0-or-later
// Scalar helpers of the HGQ fixed-point quantizer (spec §1.2–1.4): the two different roundings,
// exact power-of-two scales and exact integer logarithms.
#pragma once
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include "core/types.h"

namespace hgq {

enum class Rounding {
    RND,         // floor(y + 1/2): ties toward +inf, ap_fixed AP_RND
    TRN,         // floor(y): toward -inf, ap_fixed AP_TRN
    Stochastic,  // floor(y) + 1 with probability y - floor(y); RND at inference
    Auto,        // RND when the layer's bias can absorb the offset, else TRN (resolved at build)
};

enum class Granularity { PerElement, PerChannel, PerLayer };

constexpr Scalar kFClip = 23;  // |F| <= 23: float32 has a 24-bit significand
constexpr Scalar kLn2 = Scalar(0.693147180559945309417232121458);

// F -> f: round half to even, as TF's round (2.5 -> 2, -0.5 -> 0). std::round would be wrong.
inline int round_f(Scalar F) {
    return static_cast<int>(std::nearbyint(F));
}

// 2^e exactly, built from the exponent field (|e| <= 126 here: F is clipped to ±23).
inline Scalar pow2(int e) {
#ifdef HGQ_DOUBLE
    if (e > -1023 && e < 1024) return std::bit_cast<double>(uint64_t(e + 1023) << 52);
#else
    if (e > -127 && e < 128) return std::bit_cast<float>(uint32_t(e + 127) << 23);
#endif
    return std::ldexp(Scalar(1), e);
}

// floor(log2 a) for a > 0, exactly, read off the exponent field (log(a)/log(2) is off by one at
// some powers of two in float32). Subnormals fall back to ilogb.
inline int floor_log2(Scalar a) {
#ifdef HGQ_DOUBLE
    const int biased = int((std::bit_cast<uint64_t>(a) >> 52) & 0x7ff);
    if (biased != 0) return biased - 1023;
#else
    const int biased = int((std::bit_cast<uint32_t>(a) >> 23) & 0xff);
    if (biased != 0) return biased - 127;
#endif
    return std::ilogb(a);
}

// ceil(log2 a) for a > 0, exactly.
inline int ceil_log2(Scalar a) {
    const int e = std::ilogb(a);
    return std::ldexp(Scalar(1), e) == a ? e : e + 1;
}

// Value rounding of y = x * 2^f (no stochastic case: that needs a random draw).
inline Scalar round_value(Scalar y, Rounding r) {
    return r == Rounding::TRN ? std::floor(y) : std::floor(y + Scalar(0.5));
}

// Number of bit positions from the most- to the least-significant set bit of |q|, 0 for q = 0:
// the exact weight width (trailing zeros are free). q must lie on a grid 2^-f with |f| <= 64.
int exact_span_bits(Scalar q);

constexpr int kMinusInfBits = std::numeric_limits<int>::min() / 4;  // "log2 0": -inf int bits

}  // namespace hgq
