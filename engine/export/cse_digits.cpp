// SPDX-License-Identifier: GPL-3.0-or-later
// Signed-digit forms of a weight. The canonical (non-adjacent) form has the fewest non-zero
// digits, but so do others (3 = 4 − 1 = 2 + 1, 11 = 8 + 4 − 1 = 8 + 2 + 1 = 16 − 4 − 1), and
// which one recurs across a layer's outputs decides which patterns can be shared. share_layer
// tries a few random minimal forms besides the canonical one and keeps the cheapest graph.
#include "export/cse.h"

namespace hgq::cse {
namespace {

// Non-zero digits of the non-adjacent form of m: the least any signed-digit form of m has.
int min_digits(uint64_t m) {
    int n = 0;
    for (; m != 0; m >>= 1) {
        if ((m & 1) == 0) continue;
        ++n;
        m = (m & 3) == 3 ? m + 1 : m - 1;
    }
    return n;
}

uint64_t xorshift(uint64_t& x) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
}

}  // namespace

void append_digits(std::vector<Term>& out, int32_t input, int64_t w, int w_f, uint64_t* rng) {
    uint64_t m = w < 0 ? uint64_t(0) - uint64_t(w) : uint64_t(w);
    // At an odd m the digit is +1 (m − 1 remains) or −1 (m + 1 remains); the non-adjacent form
    // takes +1 where m ≡ 1 (mod 4). A digit keeps the form minimal iff what remains needs one
    // digit fewer than m; where both do, `rng` picks.
    for (int shift = 0; m != 0; ++shift, m >>= 1) {
        if ((m & 1) == 0) continue;
        bool minus = (m & 3) == 3;
        if (rng && m > 1) {
            const int need = min_digits(m) - 1;
            const bool plus_ok = min_digits(m - 1) == need, minus_ok = min_digits(m + 1) == need;
            if (plus_ok && minus_ok) minus = (xorshift(*rng) >> 32) & 1;
        }
        out.push_back({input, shift - w_f, minus != (w < 0)});
        m = minus ? m + 1 : m - 1;
    }
}

}  // namespace hgq::cse
