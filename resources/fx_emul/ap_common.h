// SPDX-License-Identifier: GPL-3.0-or-later
// HGQ Studio — fx_emul: a small, self-written, bit-exact emulation of the Vitis HLS arbitrary-
// precision types ap_fixed / ap_ufixed / ap_int / ap_uint (export spec §3, subset of §4b).
//
// It exists ONLY for the app's own g++ C-simulation of an exported HLS project (`hgq verify DIR`
// compiles the exported testbench with `-I <this folder>`), so that code written against Vitis'
// <ap_fixed.h>/<ap_int.h> compiles and computes bit-identically without Vitis. It is NOT the
// Xilinx header and shares no code with it. Never copy these files into an exported project: a
// quoted include from the project directory would shadow Vitis' real header in csim/synthesis.
//
// Model (spec §3.5): a value is an integer code m (stored sign-/zero-extended in an __int128) with
// F = W − I fractional bits, value = m·2^−F. Arithmetic is exact and returns the §3.4 result type;
// the only lossy step is construction/assignment into a type: round with the destination's Q mode
// first, then apply its O mode on the integer code. The rules match engine/deploy/fixed_point.h.
//
// Supported: W in 1..127 for every type (stored types and the result types of expressions; a wider
// result type is a compile-time error with a message), any I (negative, or larger than W);
// Q modes: all seven; O modes: AP_WRAP, AP_SAT, AP_SAT_SYM, AP_SAT_ZERO (AP_WRAP_SM and N != 0 are
// rejected at compile time). C integer operands are treated as ap_[u]int<bits of the C type>
// (`int` → 32 bits, signed) in arithmetic, exactly as Vitis does (x + 1 widens to 33 integer bits).
// Deliberately absent: operator double / long double and operator bool on fixed types (use
// to_double()), arithmetic with float/double operands (a compile error, as in Vitis), division and
// modulo, string construction/printing, range(hi, lo) with hi < lo.
#ifndef HGQ_FX_EMUL_AP_COMMON_H
#define HGQ_FX_EMUL_AP_COMMON_H

#include <cassert>
#include <cmath>
#include <type_traits>

enum ap_q_mode {
    AP_RND,
    AP_RND_ZERO,
    AP_RND_MIN_INF,
    AP_RND_INF,
    AP_RND_CONV,
    AP_TRN,
    AP_TRN_ZERO
};
enum ap_o_mode { AP_SAT, AP_SAT_ZERO, AP_SAT_SYM, AP_WRAP, AP_WRAP_SM };

template <int W, int I, ap_q_mode Q = AP_TRN, ap_o_mode O = AP_WRAP, int N = 0>
class ap_fixed;
template <int W, int I, ap_q_mode Q = AP_TRN, ap_o_mode O = AP_WRAP, int N = 0>
class ap_ufixed;
template <int W>
class ap_int;
template <int W>
class ap_uint;

namespace fx_emul_detail {

__extension__ typedef __int128 wide;
__extension__ typedef unsigned __int128 uwide;

constexpr int kMaxWidth = 127;  // every code, bound and aligned operand fits a signed __int128
constexpr wide kWideMax = static_cast<wide>(~static_cast<uwide>(0) >> 1);

constexpr int max_i(int a, int b) {
    return a > b ? a : b;
}

// m·2^k modulo 2^128 (0 <= k < 128), without the undefined left shift of a negative value.
constexpr wide shl(wide m, int k) {
    return static_cast<wide>(static_cast<uwide>(m) << k);
}

// The low W bits of v read as a W-bit two's-complement (S) or unsigned code; 1 <= W <= 127.
constexpr wide low_bits(wide v, int W, bool S) {
    const uwide mask = (static_cast<uwide>(1) << W) - 1;
    uwide u = static_cast<uwide>(v) & mask;
    if (S && ((u >> (W - 1)) & 1) != 0) u |= ~mask;
    return static_cast<wide>(u);
}

// Code range of a W-bit type. SAT_SYM never produces the most negative code, except for a 1-bit
// signed type (spec §3.3).
constexpr wide code_hi(int W, bool S) {
    return S ? static_cast<wide>((static_cast<uwide>(1) << (W - 1)) - 1)
             : static_cast<wide>((static_cast<uwide>(1) << W) - 1);
}
constexpr wide code_lo(int W, bool S, ap_o_mode O) {
    return !S ? wide(0) : (O == AP_SAT_SYM && W > 1) ? -code_hi(W, S) : -code_hi(W, S) - 1;
}

// Whether floor(m / 2^s) (= fl, remainder r in [0, 2^s), half = 2^(s−1)) gets one more LSB.
constexpr bool rounds_up(ap_q_mode Q, wide m, wide fl, wide r, wide half) {
    switch (Q) {
        case AP_TRN:
            return false;
        case AP_TRN_ZERO:
            return m < 0 && r != 0;
        case AP_RND:
            return r >= half;
        case AP_RND_ZERO:
            return r > half || (r == half && m < 0);
        case AP_RND_MIN_INF:
            return r > half;
        case AP_RND_INF:
            return r > half || (r == half && m >= 0);
        case AP_RND_CONV:
            return r > half || (r == half && (fl & 1) != 0);
    }
    return false;
}

// Out-of-range handling; `wrapped` holds at least the low W bits of the exact rounded code.
constexpr wide on_overflow(int W, bool S, ap_o_mode O, bool negative, wide wrapped) {
    if (O == AP_WRAP) return low_bits(wrapped, W, S);
    if (O == AP_SAT_ZERO) return 0;
    return negative ? code_lo(W, S, O) : code_hi(W, S);  // SAT, SAT_SYM
}

// Quantizes the exact value m·2^−(F + s) into a W-bit type with F fractional bits and returns its
// code: round first (Q), then overflow (O) on the integer code (spec §3.5 step 2). One non-template
// function for every type keeps the generated code small (compile time of large layers).
constexpr wide quantize(wide m, int s, int W, bool S, ap_q_mode Q, ap_o_mode O) {
    const wide hi = code_hi(W, S), lo = code_lo(W, S, O);
    if (s <= 0) {  // exact scaling up by 2^k; only the overflow check can change the value
        const int k = -s;
        if (m == 0) return 0;
        if (k >= kMaxWidth) return on_overflow(W, S, O, m < 0, 0);  // low W bits of m·2^k are 0
        if (m > (hi >> k) || m < -((-lo) >> k)) return on_overflow(W, S, O, m < 0, shl(m, k));
        return shl(m, k);
    }
    wide code = 0;
    if (s >= 128) {
        // |m| < 2^127 <= half an LSB: a positive m has r < half (nothing rounds up), a negative m
        // floors to −1 with r > half (every mode but TRN rounds up to 0).
        code = (m < 0 && Q == AP_TRN) ? -1 : 0;
    } else {
        const wide fl = m >> s;  // arithmetic shift: floor
        const wide r =
            static_cast<wide>(static_cast<uwide>(m) & ((static_cast<uwide>(1) << s) - 1));
        const wide half = static_cast<wide>(static_cast<uwide>(1) << (s - 1));
        code = fl + (rounds_up(Q, m, fl, r, half) ? 1 : 0);
    }
    if (code > hi || code < lo) return on_overflow(W, S, O, code < 0, code);
    return code;
}

// Exact (mantissa, fractional bits) of a finite non-zero double: v = m·2^−f, |m| < 2^53.
inline void split_double(double v, wide& m, int& f) {
    int e = 0;
    const double frac = std::frexp(v, &e);
    m = static_cast<wide>(static_cast<long long>(std::ldexp(frac, 53)));
    f = 53 - e;
}

// Code of a double converted into a type with F fractional bits: its exact binary value, quantized.
// NaN gives 0; ±inf behaves as an out-of-range value of that sign (wraps to 0, saturates).
inline wide quantize_double(double v, int F, int W, bool S, ap_q_mode Q, ap_o_mode O) {
    if (v != v || v == 0) return 0;
    if (std::isinf(v)) return quantize(v < 0 ? -1 : 1, -1000000, W, S, Q, O);
    wide m = 0;
    int f = 0;
    split_double(v, m, f);
    return quantize(m, f - F, W, S, Q, O);
}

// Sign of m1·2^−f1 − m2·2^−f2 (|m1|, |m2| < 2^127), exact.
constexpr int compare(wide m1, int f1, wide m2, int f2) {
    int flip = 1;
    if (f1 < f2) {  // make f1 >= f2, then compare m1 with m2·2^d
        const wide tm = m1;
        m1 = m2;
        m2 = tm;
        const int tf = f1;
        f1 = f2;
        f2 = tf;
        flip = -1;
    }
    const int d = f1 - f2;
    if (m2 == 0) return flip * (m1 > 0 ? 1 : m1 < 0 ? -1 : 0);
    if (d < kMaxWidth) {
        const wide lim = kWideMax >> d;
        if (m2 <= lim && m2 >= -lim) {
            const wide t = shl(m2, d);
            return flip * (m1 > t ? 1 : m1 < t ? -1 : 0);
        }
    }
    return flip * (m2 > 0 ? -1 : 1);  // |m2·2^d| >= 2^127 > |m1|
}

// The public class of a format: Int selects ap_[u]int (then I == W), otherwise ap_[u]fixed.
template <int W, int I, bool S, bool Int, ap_q_mode Q = AP_TRN, ap_o_mode O = AP_WRAP, int N = 0>
struct ap_type_of;
template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
struct ap_type_of<W, I, true, false, Q, O, N> {
    using type = ap_fixed<W, I, Q, O, N>;
};
template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
struct ap_type_of<W, I, false, false, Q, O, N> {
    using type = ap_ufixed<W, I, Q, O, N>;
};
template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
struct ap_type_of<W, I, true, true, Q, O, N> {
    using type = ap_int<W>;
};
template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
struct ap_type_of<W, I, false, true, Q, O, N> {
    using type = ap_uint<W>;
};

struct ap_tag {};
template <class T>
struct is_ap : std::is_base_of<ap_tag, T> {};
template <class T>
struct is_cint : std::is_integral<T> {};

// A C integer operand as an ap type: ap_[u]int<bits> next to an integer type, ap_[u]fixed<bits,
// bits> next to a fixed-point type (`int` → 32 bits, bool → 1 unsigned bit).
template <class T, bool Int>
struct cint_type {
    static constexpr int bits = std::is_same<T, bool>::value ? 1 : int(sizeof(T) * 8);
    using type = typename ap_type_of<bits, bits, std::is_signed<T>::value, Int>::type;
};

template <class Owner>
class bit_ref;
template <class Owner>
class range_ref;

// Storage and everything shared by the four public classes. Members named fx_* are internal.
template <int W, int I, bool S, bool Int, ap_q_mode Q, ap_o_mode O, int N>
class ap_base : public ap_tag {
    static_assert(W >= 1, "fx_emul: an ap type needs W >= 1 bits");
    static_assert(
        W <= kMaxWidth,
        "fx_emul supports widths up to 127 bits; this type (often the exact result of a "
        "product or a long chain of sums) is wider: assign an operand to a narrower type");
    static_assert(O != AP_WRAP_SM,
                  "fx_emul: AP_WRAP_SM is not supported (HGQ exports never use it)");
    static_assert(N == 0,
                  "fx_emul: saturation bits N != 0 are not supported (HGQ exports use N = 0)");

  public:
    static constexpr int width = W;
    static constexpr int iwidth = I;
    static constexpr ap_q_mode qmode = Q;
    static constexpr ap_o_mode omode = O;
    static constexpr bool sign_flag = S;
    static constexpr bool fx_is_int = Int;
    static constexpr int fx_frac = W - I;
    using fx_self = typename ap_type_of<W, I, S, Int, Q, O, N>::type;

    // --- internal interface (used by the operators; not part of the Vitis API) ---
    wide fx_code() const { return m_; }
    void fx_set_bits(wide v) { m_ = low_bits(v, W, S); }  // reinterpret the low W bits
    // ap_[u]int truncates toward zero like a C cast when a fraction is dropped (Vitis ap_int from
    // ap_fixed / double); fixed-point types use their own Q mode.
    void fx_from_code(wide m, int f_src) {
        m_ = quantize(m, f_src - fx_frac, W, S, Int ? AP_TRN_ZERO : Q, O);
    }
    void fx_from_double(double v) {
        m_ = quantize_double(v, fx_frac, W, S, Int ? AP_TRN_ZERO : Q, O);
    }
    void fx_set_raw(wide code) { m_ = code; }  // code already in range
    wide fx_trunc() const {  // the value truncated toward zero (integer part), modulo 2^128
        constexpr int F = fx_frac;
        if constexpr (F <= 0) {
            return -F >= 128 ? wide(0) : shl(m_, -F);
        } else if constexpr (F >= 128) {
            return 0;
        } else {
            return m_ >= 0 ? (m_ >> F) : -((-m_) >> F);
        }
    }
    bool fx_get_bit(int i) const {
        assert(i >= 0 && i < W && "fx_emul: bit index out of range");
        return ((static_cast<uwide>(m_) >> i) & 1) != 0;
    }
    void fx_set_bit(int i, bool b) {
        assert(i >= 0 && i < W && "fx_emul: bit index out of range");
        const uwide bit = static_cast<uwide>(1) << i;
        fx_set_bits(static_cast<wide>(b ? (static_cast<uwide>(m_) | bit)
                                        : (static_cast<uwide>(m_) & ~bit)));
    }
    wide fx_range_bits(int hi, int lo) const {  // bits hi..lo of the code, zero-extended
        assert(lo >= 0 && lo <= hi && hi < W && "fx_emul: range(hi, lo) needs 0 <= lo <= hi < W");
        const uwide mask = (static_cast<uwide>(1) << (hi - lo + 1)) - 1;
        return static_cast<wide>((static_cast<uwide>(m_) >> lo) & mask);
    }
    void fx_write_range(int hi, int lo, wide v) {
        assert(lo >= 0 && lo <= hi && hi < W && "fx_emul: range(hi, lo) needs 0 <= lo <= hi < W");
        const uwide mask = ((static_cast<uwide>(1) << (hi - lo + 1)) - 1) << lo;
        const uwide u = (static_cast<uwide>(m_) & ~mask) | ((static_cast<uwide>(v) << lo) & mask);
        fx_set_bits(static_cast<wide>(u));
    }

    // --- conversions ---
    double to_double() const { return std::ldexp(static_cast<double>(m_), -fx_frac); }
    float to_float() const { return std::ldexp(static_cast<float>(m_), -fx_frac); }
    int to_int() const { return static_cast<int>(static_cast<long long>(fx_trunc())); }  // toward 0
    unsigned to_uint() const { return static_cast<unsigned>(fx_trunc()); }
    long to_long() const { return static_cast<long>(static_cast<long long>(fx_trunc())); }
    unsigned long to_ulong() const { return static_cast<unsigned long>(fx_trunc()); }
    long long to_int64() const { return static_cast<long long>(fx_trunc()); }
    unsigned long long to_uint64() const { return static_cast<unsigned long long>(fx_trunc()); }
    // The code m (value = m·2^−(W−I)), sign-extended (zero-extended if unsigned); for W > 64 (or
    // an unsigned W = 64 code >= 2^63) only its low 64 bits, read as two's complement.
    long long raw_code() const { return static_cast<long long>(m_); }
    int length() const { return W; }
    bool is_neg() const { return m_ < 0; }

    // --- bits ---
    bool operator[](int i) const { return fx_get_bit(i); }
    bit_ref<ap_base> operator[](int i) { return bit_ref<ap_base>(*this, i); }
    bool get_bit(int i) const { return fx_get_bit(i); }
    void set_bit(int i, bool b) { fx_set_bit(i, b); }
    // The raw W-bit word as ap_uint<W> (read); on a non-const object, also writable.
    ap_uint<W> range() const { return range(W - 1, 0); }
    ap_uint<W> range(int hi, int lo) const {
        ap_uint<W> r;
        r.fx_set_bits(fx_range_bits(hi, lo));
        return r;
    }
    range_ref<ap_base> range() { return range_ref<ap_base>(*this, W - 1, 0); }
    range_ref<ap_base> range(int hi, int lo) { return range_ref<ap_base>(*this, hi, lo); }

  protected:
    ap_base() = default;

  private:
    wide m_ = 0;
};

// x[i] on a non-const value: reads as bool, assignable.
template <class Owner>
class bit_ref {
  public:
    bit_ref(Owner& o, int i) : o_(&o), i_(i) {}
    bit_ref(const bit_ref&) = default;
    operator bool() const { return o_->fx_get_bit(i_); }
    bit_ref& operator=(bool b) {
        o_->fx_set_bit(i_, b);
        return *this;
    }
    bit_ref& operator=(const bit_ref& b) { return *this = static_cast<bool>(b); }

  private:
    Owner* o_;
    int i_;
};

// x.range() / x.range(hi, lo) on a non-const value: reads as ap_uint<W> (the bits hi..lo,
// zero-extended), and assigning to it writes those bits of x. Assign integers, ap_[u]int or other
// ranges (the low hi−lo+1 bits are written); for a fixed-point source assign its .range().
template <class Owner>
class range_ref : public ap_uint<Owner::width> {
  public:
    range_ref(Owner& o, int hi, int lo) : o_(&o), hi_(hi), lo_(lo) {
        this->fx_set_bits(o.fx_range_bits(hi, lo));
    }
    range_ref(const range_ref&) = default;
    range_ref& operator=(const range_ref& v) { return write(v.fx_code()); }
    template <class T, typename std::enable_if<is_cint<T>::value, int>::type = 0>
    range_ref& operator=(T v) {
        return write(static_cast<wide>(v));
    }
    template <class T, typename std::enable_if<is_ap<T>::value, int>::type = 0>
    range_ref& operator=(const T& v) {
        static_assert(T::fx_is_int,
                      "fx_emul: assign the .range() of a fixed-point value to a range");
        return write(v.fx_code());
    }

  private:
    range_ref& write(wide v) {
        o_->fx_write_range(hi_, lo_, v);
        this->fx_set_bits(o_->fx_range_bits(hi_, lo_));
        return *this;
    }
    Owner* o_;
    int hi_, lo_;
};

struct raw_code_tag {};  // selects the constructor from a code known to be in range

// Exact result types of binary operators (spec §3.4).
template <class A, class B>
struct result {
    static constexpr int F1 = A::width - A::iwidth, F2 = B::width - B::iwidth;
    static constexpr bool S1 = A::sign_flag, S2 = B::sign_flag, Int = A::fx_is_int && B::fx_is_int;
    static constexpr int F = max_i(F1, F2);
    static constexpr int logic_i =
        max_i(A::iwidth + (S2 && !S1 ? 1 : 0), B::iwidth + (S1 && !S2 ? 1 : 0));
    static constexpr int plus_i = logic_i + 1;
    using plus = typename ap_type_of<plus_i + F, plus_i, S1 || S2, Int>::type;
    using minus = typename ap_type_of<plus_i + F, plus_i, true, Int>::type;
    using mult =
        typename ap_type_of<A::width + B::width, A::iwidth + B::iwidth, S1 || S2, Int>::type;
    using logic = typename ap_type_of<logic_i + F, logic_i, S1 || S2, Int>::type;
};

template <class A, class B>
using enable_ap_ap = typename std::enable_if<is_ap<A>::value && is_ap<B>::value, int>::type;
template <class A, class T>
using enable_ap_int = typename std::enable_if<is_ap<A>::value && is_cint<T>::value, int>::type;
template <class A, class T>
using enable_ap_float =
    typename std::enable_if<is_ap<A>::value && std::is_floating_point<T>::value, int>::type;
template <class A>
using enable_ap = typename std::enable_if<is_ap<A>::value, int>::type;
template <class A, class T>
using as_ap = typename cint_type<T, A::fx_is_int>::type;

// The shift of a code by n (n < 0 shifts the other way), reinterpreted in the same W bits.
inline wide shift_code(wide m, long long n, bool left) {
    if (n < 0) {
        left = !left;
        n = -n;
    }
    if (left) return n >= 128 ? wide(0) : shl(m, static_cast<int>(n));
    if (n >= 127) return m < 0 ? -1 : 0;
    return m >> n;  // arithmetic for signed codes; unsigned codes are non-negative
}

}  // namespace fx_emul_detail

// Construction (the same set in all four classes): default = 0; from any ap type, any C integer
// and float/double — the exact value is quantized with this type's Q, then O mode.
#define FX_EMUL_CONSTRUCTORS(CLS)                                                                  \
    CLS() = default;                                                                               \
    CLS(::fx_emul_detail::raw_code_tag, ::fx_emul_detail::wide code) {                             \
        this->fx_set_raw(code);                                                                    \
    }                                                                                              \
    template <class T_,                                                                            \
              typename std::enable_if<::fx_emul_detail::is_ap<T_>::value, int>::type = 0>          \
    CLS(const T_& v) {                                                                             \
        this->fx_from_code(v.fx_code(), T_::width - T_::iwidth);                                   \
    }                                                                                              \
    template <class T_,                                                                            \
              typename std::enable_if<::fx_emul_detail::is_cint<T_>::value, int>::type = 0>        \
    CLS(T_ v) {                                                                                    \
        this->fx_from_code(static_cast<::fx_emul_detail::wide>(v), 0);                             \
    }                                                                                              \
    template <class T_, typename std::enable_if<std::is_floating_point<T_>::value, int>::type = 0> \
    CLS(T_ v) {                                                                                    \
        this->fx_from_double(static_cast<double>(v));                                              \
    }

template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
class ap_fixed : public fx_emul_detail::ap_base<W, I, true, false, Q, O, N> {
  public:
    FX_EMUL_CONSTRUCTORS(ap_fixed)
};

template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
class ap_ufixed : public fx_emul_detail::ap_base<W, I, false, false, Q, O, N> {
  public:
    FX_EMUL_CONSTRUCTORS(ap_ufixed)
};

// Integers behave as I = W; like Vitis' ap_int they convert implicitly to a C integer.
template <int W>
class ap_int : public fx_emul_detail::ap_base<W, W, true, true, AP_TRN, AP_WRAP, 0> {
  public:
    FX_EMUL_CONSTRUCTORS(ap_int)
    operator long long() const { return this->to_int64(); }
};

template <int W>
class ap_uint : public fx_emul_detail::ap_base<W, W, false, true, AP_TRN, AP_WRAP, 0> {
  public:
    FX_EMUL_CONSTRUCTORS(ap_uint)
    operator unsigned long long() const { return this->to_uint64(); }
};

#undef FX_EMUL_CONSTRUCTORS

// ---- arithmetic: exact, result types of spec §3.4 -------------------------------------------

template <class A, class B, fx_emul_detail::enable_ap_ap<A, B> = 0>
typename fx_emul_detail::result<A, B>::plus operator+(const A& a, const B& b) {
    using R = fx_emul_detail::result<A, B>;
    return typename R::plus(fx_emul_detail::raw_code_tag(),
                            fx_emul_detail::shl(a.fx_code(), R::F - R::F1) +
                                fx_emul_detail::shl(b.fx_code(), R::F - R::F2));
}
template <class A, class B, fx_emul_detail::enable_ap_ap<A, B> = 0>
typename fx_emul_detail::result<A, B>::minus operator-(const A& a, const B& b) {
    using R = fx_emul_detail::result<A, B>;
    return typename R::minus(fx_emul_detail::raw_code_tag(),
                             fx_emul_detail::shl(a.fx_code(), R::F - R::F1) -
                                 fx_emul_detail::shl(b.fx_code(), R::F - R::F2));
}
template <class A, class B, fx_emul_detail::enable_ap_ap<A, B> = 0>
typename fx_emul_detail::result<A, B>::mult operator*(const A& a, const B& b) {
    using R = fx_emul_detail::result<A, B>;
    return typename R::mult(fx_emul_detail::raw_code_tag(), a.fx_code() * b.fx_code());
}
template <class A, class B, fx_emul_detail::enable_ap_ap<A, B> = 0>
typename fx_emul_detail::result<A, B>::logic operator&(const A& a, const B& b) {
    using R = fx_emul_detail::result<A, B>;
    return typename R::logic(fx_emul_detail::raw_code_tag(),
                             fx_emul_detail::shl(a.fx_code(), R::F - R::F1) &
                                 fx_emul_detail::shl(b.fx_code(), R::F - R::F2));
}
template <class A, class B, fx_emul_detail::enable_ap_ap<A, B> = 0>
typename fx_emul_detail::result<A, B>::logic operator|(const A& a, const B& b) {
    using R = fx_emul_detail::result<A, B>;
    return typename R::logic(fx_emul_detail::raw_code_tag(),
                             fx_emul_detail::shl(a.fx_code(), R::F - R::F1) |
                                 fx_emul_detail::shl(b.fx_code(), R::F - R::F2));
}
template <class A, class B, fx_emul_detail::enable_ap_ap<A, B> = 0>
typename fx_emul_detail::result<A, B>::logic operator^(const A& a, const B& b) {
    using R = fx_emul_detail::result<A, B>;
    return typename R::logic(fx_emul_detail::raw_code_tag(),
                             fx_emul_detail::shl(a.fx_code(), R::F - R::F1) ^
                                 fx_emul_detail::shl(b.fx_code(), R::F - R::F2));
}

// With a C integer on either side: the integer becomes ap_[u]int / ap_[u]fixed<bits, bits>.
#define FX_EMUL_INT_BINARY(OP)                                                         \
    template <class A, class T, fx_emul_detail::enable_ap_int<A, T> = 0>               \
    auto operator OP(const A& a, T b)->decltype(a OP fx_emul_detail::as_ap<A, T>(b)) { \
        return a OP fx_emul_detail::as_ap<A, T>(b);                                    \
    }                                                                                  \
    template <class T, class B, fx_emul_detail::enable_ap_int<B, T> = 0>               \
    auto operator OP(T a, const B& b)->decltype(fx_emul_detail::as_ap<B, T>(a) OP b) { \
        return fx_emul_detail::as_ap<B, T>(a) OP b;                                    \
    }
FX_EMUL_INT_BINARY(+)
FX_EMUL_INT_BINARY(-)
FX_EMUL_INT_BINARY(*)
FX_EMUL_INT_BINARY(&)
FX_EMUL_INT_BINARY(|)
FX_EMUL_INT_BINARY(^)
#undef FX_EMUL_INT_BINARY

// −a: one more bit, always signed.
template <class A, fx_emul_detail::enable_ap<A> = 0>
typename fx_emul_detail::ap_type_of<A::width + 1, A::iwidth + 1, true, A::fx_is_int>::type
operator-(const A& a) {
    using R =
        typename fx_emul_detail::ap_type_of<A::width + 1, A::iwidth + 1, true, A::fx_is_int>::type;
    return R(fx_emul_detail::raw_code_tag(), -a.fx_code());
}
template <class A, fx_emul_detail::enable_ap<A> = 0>
typename A::fx_self operator+(const A& a) {
    return a;
}
template <class A, fx_emul_detail::enable_ap<A> = 0>
typename A::fx_self operator~(const A& a) {  // bitwise NOT of the W-bit code, same type
    typename A::fx_self r;
    r.fx_set_bits(~a.fx_code());
    return r;
}
template <class A, fx_emul_detail::enable_ap<A> = 0>
bool operator!(const A& a) {
    return a.fx_code() == 0;
}

// Shifts by a run-time amount keep the type: bits moved past either end are lost (spec §3.4).
template <class A, class T, fx_emul_detail::enable_ap_int<A, T> = 0>
typename A::fx_self operator<<(const A& a, T n) {
    typename A::fx_self r;
    r.fx_set_bits(fx_emul_detail::shift_code(a.fx_code(), static_cast<long long>(n), true));
    return r;
}
template <class A, class T, fx_emul_detail::enable_ap_int<A, T> = 0>
typename A::fx_self operator>>(const A& a, T n) {
    typename A::fx_self r;
    r.fx_set_bits(fx_emul_detail::shift_code(a.fx_code(), static_cast<long long>(n), false));
    return r;
}
template <class A, class B, fx_emul_detail::enable_ap_ap<A, B> = 0>
typename A::fx_self operator<<(const A& a, const B& n) {
    static_assert(B::fx_is_int, "fx_emul: shift amounts are C integers or ap_[u]int");
    return a << n.to_int64();
}
template <class A, class B, fx_emul_detail::enable_ap_ap<A, B> = 0>
typename A::fx_self operator>>(const A& a, const B& n) {
    static_assert(B::fx_is_int, "fx_emul: shift amounts are C integers or ap_[u]int");
    return a >> n.to_int64();
}

// ---- compound assignment: exact result, then quantized with the left operand's own modes ------

#define FX_EMUL_COMPOUND(OP)                                                   \
    template <class A, class B,                                                \
              typename std::enable_if<fx_emul_detail::is_ap<A>::value &&       \
                                          (fx_emul_detail::is_ap<B>::value ||  \
                                           fx_emul_detail::is_cint<B>::value), \
                                      int>::type = 0>                          \
    A& operator OP##=(A& a, const B& b) {                                      \
        a = typename A::fx_self(a OP b);                                       \
        return a;                                                              \
    }
FX_EMUL_COMPOUND(+)
FX_EMUL_COMPOUND(-)
FX_EMUL_COMPOUND(*)
FX_EMUL_COMPOUND(&)
FX_EMUL_COMPOUND(|)
FX_EMUL_COMPOUND(^)
FX_EMUL_COMPOUND(<<)
FX_EMUL_COMPOUND(>>)
#undef FX_EMUL_COMPOUND

template <class A, fx_emul_detail::enable_ap<A> = 0>
A& operator++(A& a) {
    return a += 1;
}
template <class A, fx_emul_detail::enable_ap<A> = 0>
A& operator--(A& a) {
    return a -= 1;
}
template <class A, fx_emul_detail::enable_ap<A> = 0>
typename A::fx_self operator++(A& a, int) {
    typename A::fx_self old = a;
    a += 1;
    return old;
}
template <class A, fx_emul_detail::enable_ap<A> = 0>
typename A::fx_self operator--(A& a, int) {
    typename A::fx_self old = a;
    a -= 1;
    return old;
}

// ---- comparisons: exact ----------------------------------------------------------------------

namespace fx_emul_detail {
template <class A, class B>
int compare_ap(const A& a, const B& b) {
    return compare(a.fx_code(), A::fx_frac, b.fx_code(), B::fx_frac);
}
template <class A, class T>
int compare_int(const A& a, T v) {
    return compare(a.fx_code(), A::fx_frac, static_cast<wide>(v), 0);
}
// Exact comparison with a double; `unordered` is set for NaN (every comparison but != is false).
template <class A>
int compare_double(const A& a, double v, bool& unordered) {
    unordered = v != v;
    if (unordered || v == 0) return compare(a.fx_code(), A::fx_frac, 0, 0);
    if (std::isinf(v)) return v > 0 ? -1 : 1;
    wide m = 0;
    int f = 0;
    split_double(v, m, f);
    return compare(a.fx_code(), A::fx_frac, m, f);
}
}  // namespace fx_emul_detail

// NAN_RESULT: what the operator gives against a NaN double (false, except for !=).
#define FX_EMUL_COMPARE(OP, NAN_RESULT)                                                     \
    template <class A, class B, fx_emul_detail::enable_ap_ap<A, B> = 0>                     \
    bool operator OP(const A& a, const B& b) {                                              \
        return fx_emul_detail::compare_ap(a, b) OP 0;                                       \
    }                                                                                       \
    template <class A, class T, fx_emul_detail::enable_ap_int<A, T> = 0>                    \
    bool operator OP(const A& a, T v) {                                                     \
        return fx_emul_detail::compare_int(a, v) OP 0;                                      \
    }                                                                                       \
    template <class T, class B, fx_emul_detail::enable_ap_int<B, T> = 0>                    \
    bool operator OP(T v, const B& b) {                                                     \
        return 0 OP fx_emul_detail::compare_int(b, v);                                      \
    }                                                                                       \
    template <class A, class T, fx_emul_detail::enable_ap_float<A, T> = 0>                  \
    bool operator OP(const A& a, T v) {                                                     \
        bool unordered = false;                                                             \
        const int c = fx_emul_detail::compare_double(a, static_cast<double>(v), unordered); \
        return unordered ? NAN_RESULT : (c OP 0);                                           \
    }                                                                                       \
    template <class T, class B, fx_emul_detail::enable_ap_float<B, T> = 0>                  \
    bool operator OP(T v, const B& b) {                                                     \
        bool unordered = false;                                                             \
        const int c = fx_emul_detail::compare_double(b, static_cast<double>(v), unordered); \
        return unordered ? NAN_RESULT : (0 OP c);                                           \
    }
FX_EMUL_COMPARE(==, false)
FX_EMUL_COMPARE(!=, true)
FX_EMUL_COMPARE(<, false)
FX_EMUL_COMPARE(<=, false)
FX_EMUL_COMPARE(>, false)
FX_EMUL_COMPARE(>=, false)
#undef FX_EMUL_COMPARE

// ---- testbench helper --------------------------------------------------------------------------

// The two's-complement code m of any ap value (value = m·2^−(W−I)), sign-extended to 64 bits.
template <class T, fx_emul_detail::enable_ap<T> = 0>
long long ap_raw_code(const T& v) {
    return v.raw_code();
}

#endif  // HGQ_FX_EMUL_AP_COMMON_H
