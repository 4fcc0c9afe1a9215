// SPDX-License-Identifier: GPL-3.0-or-later
#include "quant/fixed.h"

#include <bit>
#include <cstdint>

namespace hgq {

int exact_span_bits(Scalar q) {
    if (q == 0) return 0;
    // |q| = m * 2^e with m an odd integer: the span is the bit length of m.
    int e = 0;
    const double frac = std::frexp(std::fabs(static_cast<double>(q)), &e);  // |q| = frac * 2^e
    auto m = static_cast<uint64_t>(std::ldexp(frac, 53));  // exact: a double has 53 bits
    m >>= std::countr_zero(m);
    return 64 - std::countl_zero(m);
}

}  // namespace hgq
