// SPDX-License-Identifier: GPL-3.0-or-later
#include "deploy/fixed_point.h"

#include <cmath>

namespace hgq {
namespace {

// floor(m / 2^s) and the discarded remainder r in [0, 2^s), for 0 < s <= 100.
void floor_shift(Wide m, int s, Wide& fl, Wide& r) {
    fl = m >> s;  // arithmetic shift: floor for negative m too
    r = m - (fl << s);
}

bool rounds_up(QMode q, Wide m, Wide fl, Wide r, Wide half) {
    switch (q) {
        case QMode::TRN:
            return false;
        case QMode::TRN_ZERO:
            return m < 0 && r != 0;
        case QMode::RND:
            return r >= half;
        case QMode::RND_ZERO:
            return r > half || (r == half && m < 0);
        case QMode::RND_MIN_INF:
            return r > half;
        case QMode::RND_INF:
            return r > half || (r == half && m >= 0);
        case QMode::RND_CONV:
            return r > half || (r == half && (fl & 1) != 0);
    }
    return false;
}

}  // namespace

int64_t quantize_code(Wide m, int f_src, const FixedFormat& fmt, bool* overflowed) {
    if (overflowed) *overflowed = false;
    if (fmt.W <= 0) return 0;
    const int s = f_src - fmt.F();
    Wide code;
    if (s <= 0) {
        code = m << -s;  // exact: more fractional bits than the source has
    } else if (s > 100) {
        // Mantissas stay below 2^100, so every bit is shifted out: a negative value floors to −1
        // and every other mode rounds it up to 0 (its remainder exceeds half an LSB).
        code = (m < 0 && fmt.q == QMode::TRN) ? -1 : 0;
    } else {
        Wide fl, r;
        floor_shift(m, s, fl, r);
        const Wide half = Wide(1) << (s - 1);
        code = fl + (rounds_up(fmt.q, m, fl, r, half) ? 1 : 0);
    }
    const Wide hi = fmt.is_signed ? (Wide(1) << (fmt.W - 1)) - 1 : (Wide(1) << fmt.W) - 1;
    Wide lo = fmt.is_signed ? -(Wide(1) << (fmt.W - 1)) : 0;
    if (fmt.o == OMode::SAT_SYM && fmt.is_signed && fmt.W > 1) lo = -hi;  // 1-bit: as SAT
    if (code >= lo && code <= hi) return int64_t(code);
    if (overflowed) *overflowed = true;
    switch (fmt.o) {
        case OMode::SAT:
        case OMode::SAT_SYM:
            return int64_t(code < lo ? lo : hi);
        case OMode::SAT_ZERO:
            return 0;
        case OMode::WRAP:
            break;
    }
    const Wide mask = (Wide(1) << fmt.W) - 1;
    Wide low = code & mask;  // two's complement: & on __int128 keeps the low W bits
    if (fmt.is_signed && low > hi) low -= Wide(1) << fmt.W;
    return int64_t(low);
}

void exact_from_double(double v, Wide& m, int& f) {
    if (v == 0) {
        m = 0;
        f = 0;
        return;
    }
    int e = 0;
    const double frac = std::frexp(v, &e);                 // v = frac·2^e, |frac| in [0.5, 1)
    m = Wide(static_cast<int64_t>(std::ldexp(frac, 53)));  // exact: 53 significant bits
    f = 53 - e;
}

const char* to_string(QMode q) {
    static const char* names[] = {"AP_TRN",         "AP_TRN_ZERO", "AP_RND",     "AP_RND_ZERO",
                                  "AP_RND_MIN_INF", "AP_RND_INF",  "AP_RND_CONV"};
    return names[int(q)];
}

const char* to_string(OMode o) {
    static const char* names[] = {"AP_WRAP", "AP_SAT", "AP_SAT_SYM", "AP_SAT_ZERO"};
    return names[int(o)];
}

std::string FixedFormat::ap_type() const {
    std::string s = std::string(is_signed ? "ap_fixed<" : "ap_ufixed<") + std::to_string(W) + "," +
                    std::to_string(I);
    if (q != QMode::TRN || o != OMode::WRAP) s += std::string(",") + to_string(q);
    if (o != OMode::WRAP) s += std::string(",") + to_string(o);
    return s + ">";
}

}  // namespace hgq
