// SPDX-License-Identifier: GPL-3.0-or-later
// Exact ap_fixed semantics on plain integers (export spec §3): a value is an integer mantissa m
// with a fractional-bit count F (value = m·2^−F). Products and sums are exact; the only lossy step
// is quantization into a type: round (Q mode) first, then overflow (O mode) on the integer code.
// No floating point anywhere on this path.
#pragma once
#include <cstdint>
#include <string>

namespace hgq {

__extension__ typedef __int128 Wide;  // mantissas of exact sums: 64 bits can overflow for wide accumulators

enum class QMode { TRN, TRN_ZERO, RND, RND_ZERO, RND_MIN_INF, RND_INF, RND_CONV };
enum class OMode { WRAP, SAT, SAT_SYM, SAT_ZERO };

// ap_fixed<W, I, Q, O> (signed) or ap_ufixed<W, I, Q, O>: W total bits, I integer bits including
// the sign; F = W − I fractional bits. W = 0 is the constant zero.
struct FixedFormat {
    int W = 0, I = 0;
    bool is_signed = false;
    QMode q = QMode::TRN;
    OMode o = OMode::WRAP;
    int F() const { return W - I; }
    // From HGQ's (keep-negative k, integer bits i without sign, fractional bits f).
    static FixedFormat from_kif(int k, int i, int f, QMode q, OMode o) {
        return {k + i + f, k + i, k != 0, q, o};
    }
    std::string ap_type() const;  // e.g. "ap_fixed<9,3,AP_RND,AP_SAT>", "ap_ufixed<4,0>"
};

// Quantizes the exact value m·2^−f_src into `fmt`; returns the code (value = code·2^−fmt.F()).
// `overflowed` (when not null) is set when the rounded code fell outside the type's range.
int64_t quantize_code(Wide m, int f_src, const FixedFormat& fmt, bool* overflowed = nullptr);

// Exact (mantissa, fractional bits) of a finite double: the start of every float → fixed path.
void exact_from_double(double v, Wide& m, int& f);

const char* to_string(QMode q);
const char* to_string(OMode o);

}  // namespace hgq
