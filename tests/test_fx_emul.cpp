// SPDX-License-Identifier: GPL-3.0-or-later
// The fx_emul ap_fixed/ap_int emulation (resources/fx_emul, used only by `hgq verify`'s own g++
// C-simulation) against hand-worked codes and against the engine's golden quantizer
// (engine/deploy/fixed_point.h): every Q mode (ties both signs), every O mode (SAT_SYM's symmetric
// minimum, SAT_ZERO, WRAP with I < 0 and I > W, W = 1), conversions from double/float/int/ap types,
// exact result types and values of + − * and unary −, compound ops, comparisons, shifts, bits and
// ranges, a randomized cross-check against hgq::quantize_code, and a function written the way the
// exported HLS code looks.
#include <QtTest>

#include <array>
#include <climits>
#include <cmath>
#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "ap_fixed.h"
#include "ap_int.h"
#include "deploy/fixed_point.h"

namespace {

constexpr hgq::QMode to_engine(ap_q_mode q) {
    switch (q) {
        case AP_RND:
            return hgq::QMode::RND;
        case AP_RND_ZERO:
            return hgq::QMode::RND_ZERO;
        case AP_RND_MIN_INF:
            return hgq::QMode::RND_MIN_INF;
        case AP_RND_INF:
            return hgq::QMode::RND_INF;
        case AP_RND_CONV:
            return hgq::QMode::RND_CONV;
        case AP_TRN:
            return hgq::QMode::TRN;
        case AP_TRN_ZERO:
            return hgq::QMode::TRN_ZERO;
    }
    return hgq::QMode::TRN;
}

constexpr hgq::OMode to_engine(ap_o_mode o) {
    switch (o) {
        case AP_SAT:
            return hgq::OMode::SAT;
        case AP_SAT_ZERO:
            return hgq::OMode::SAT_ZERO;
        case AP_SAT_SYM:
            return hgq::OMode::SAT_SYM;
        case AP_WRAP:
        case AP_WRAP_SM:
            return hgq::OMode::WRAP;
    }
    return hgq::OMode::WRAP;
}

template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O>
using fx_t = std::conditional_t<S, ap_fixed<W, I, Q, O>, ap_ufixed<W, I, Q, O>>;

template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O>
qint64 conv_double(double v) {
    return fx_t<W, I, S, Q, O>(v).raw_code();
}
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O>
qint64 conv_int(long long v) {
    return fx_t<W, I, S, Q, O>(v).raw_code();
}

// One hand-worked conversion: the value, the destination type (as the emulation and as the
// engine's FixedFormat) and the expected code.
struct ConvRow {
    const char* name;
    qint64 (*from_double)(double);
    qint64 (*from_int)(long long);
    hgq::FixedFormat fmt;
    double value;  // used when is_int is false
    long long ivalue;
    bool is_int;
    qint64 want;
};

template <int W, int I, bool S, ap_q_mode Q = AP_TRN, ap_o_mode O = AP_WRAP>
ConvRow D(const char* name, double v, qint64 want) {
    return {name,
            &conv_double<W, I, S, Q, O>,
            &conv_int<W, I, S, Q, O>,
            hgq::FixedFormat{W, I, S, to_engine(Q), to_engine(O)},
            v,
            0,
            false,
            want};
}
template <int W, int I, bool S, ap_q_mode Q = AP_TRN, ap_o_mode O = AP_WRAP>
ConvRow N(const char* name, long long v, qint64 want) {
    return {name,
            &conv_double<W, I, S, Q, O>,
            &conv_int<W, I, S, Q, O>,
            hgq::FixedFormat{W, I, S, to_engine(Q), to_engine(O)},
            0.0,
            v,
            true,
            want};
}

// Q modes on ap_fixed<3,1,Q> (F = 2, LSB 0.25, codes −4..3): v·4 is the value in LSBs.
template <ap_q_mode Q>
void q_rows(std::vector<ConvRow>& rows, const char* mode, const qint64 want[10]) {
    static std::deque<std::string> names;  // row names must outlive the table
    const double lsb[10] = {1.5, -1.5, 0.5, -0.5, 2.5, -2.5, 1.25, -1.25, 1.75, -1.75};
    for (int k = 0; k < 10; ++k) {
        names.push_back(std::string(mode) + (lsb[k] > 0 ? " +" : " ") + std::to_string(lsb[k]) +
                        " LSB");
        rows.push_back(D<3, 1, true, Q>(names.back().c_str(), lsb[k] / 4, want[k]));
    }
}

const std::vector<ConvRow>& conversion_rows() {
    static const std::vector<ConvRow> rows = [] {
        std::vector<ConvRow> r;
        // clang-format off: one hand-worked row per line
        // ---- every Q mode; LSB values {1.5, −1.5, 0.5, −0.5, 2.5, −2.5, 1.25, −1.25, 1.75, −1.75}
        static const qint64 w_trn[10] = {1, -2, 0, -1, 2, -3, 1, -2, 1, -2};  // floor
        static const qint64 w_trz[10] = {1, -1, 0, 0, 2, -2, 1, -1, 1, -1};   // toward 0
        static const qint64 w_rnd[10] = {2, -1, 1, 0, 3, -2, 1, -1, 2, -2};   // ties to +inf
        static const qint64 w_rzr[10] = {1, -1, 0, 0, 2, -2, 1, -1, 2, -2};   // ties to 0
        static const qint64 w_rmi[10] = {1, -2, 0, -1, 2, -3, 1, -1, 2, -2};  // ties to -inf
        static const qint64 w_rin[10] = {2, -2, 1, -1, 3, -3, 1, -1, 2, -2};  // ties away from 0
        static const qint64 w_rcv[10] = {2, -2, 0, 0, 2, -2, 1, -1, 2, -2};   // ties to even
        q_rows<AP_TRN>(r, "TRN", w_trn);
        q_rows<AP_TRN_ZERO>(r, "TRN_ZERO", w_trz);
        q_rows<AP_RND>(r, "RND", w_rnd);
        q_rows<AP_RND_ZERO>(r, "RND_ZERO", w_rzr);
        q_rows<AP_RND_MIN_INF>(r, "RND_MIN_INF", w_rmi);
        q_rows<AP_RND_INF>(r, "RND_INF", w_rin);
        q_rows<AP_RND_CONV>(r, "RND_CONV", w_rcv);
        // rounding carries into overflow: 0.875 = 3.5 LSB -> 4 -> wraps to -4 / saturates at 3
        r.push_back(D<3, 1, true, AP_RND, AP_WRAP>("RND carry wraps 0.875", 0.875, -4));
        r.push_back(D<3, 1, true, AP_RND, AP_SAT>("RND carry saturates 0.875", 0.875, 3));
        r.push_back(
            D<2, 0, false, AP_RND, AP_WRAP>("ufixed<2,0> RND WRAP 0.9", 0.9, 0));  // 3.6 -> 4 -> 0
        r.push_back(D<2, 0, false, AP_RND, AP_SAT>("ufixed<2,0> RND SAT 0.9", 0.9, 3));
        // tiny magnitudes (every bit is below the LSB)
        r.push_back(D<8, 4, true, AP_TRN>("tiny negative TRN", -1e-30, -1));
        r.push_back(D<8, 4, true, AP_TRN_ZERO>("tiny negative TRN_ZERO", -1e-30, 0));
        r.push_back(D<8, 4, true, AP_RND_MIN_INF>("tiny negative RND_MIN_INF", -1e-30, 0));
        r.push_back(D<8, 4, false, AP_TRN, AP_WRAP>("ufixed tiny negative TRN wraps", -1e-30, 255));
        r.push_back(D<8, 4, false, AP_TRN, AP_SAT>("ufixed tiny negative TRN SAT", -1e-30, 0));
        // ---- every O mode on ap_fixed<4,4> (codes -8..7) and ap_ufixed<4,4> (0..15)
        r.push_back(D<4, 4, true, AP_TRN, AP_SAT>("SAT 9", 9, 7));
        r.push_back(D<4, 4, true, AP_TRN, AP_SAT>("SAT -9", -9, -8));
        r.push_back(D<4, 4, true, AP_TRN, AP_SAT>("SAT -8 fits", -8, -8));
        r.push_back(D<4, 4, true, AP_TRN, AP_SAT>("SAT 7.5 floors", 7.5, 7));
        r.push_back(D<4, 4, true, AP_TRN, AP_SAT_SYM>("SAT_SYM 9", 9, 7));
        r.push_back(D<4, 4, true, AP_TRN, AP_SAT_SYM>("SAT_SYM -9 symmetric", -9, -7));
        r.push_back(D<4, 4, true, AP_TRN, AP_SAT_SYM>("SAT_SYM -8 is out of range", -8, -7));
        r.push_back(D<4, 4, true, AP_TRN, AP_SAT_SYM>("SAT_SYM -7 fits", -7, -7));
        r.push_back(D<4, 4, true, AP_TRN, AP_SAT_SYM>("SAT_SYM -7.5 floors to -8", -7.5, -7));
        r.push_back(D<4, 4, true, AP_RND, AP_SAT_SYM>("SAT_SYM RND -8.4", -8.4, -7));
        r.push_back(D<4, 4, true, AP_RND, AP_SAT_SYM>("SAT_SYM RND 7.6", 7.6, 7));
        r.push_back(D<4, 4, true, AP_TRN, AP_SAT_ZERO>("SAT_ZERO 9", 9, 0));
        r.push_back(D<4, 4, true, AP_TRN, AP_SAT_ZERO>("SAT_ZERO -9", -9, 0));
        r.push_back(D<4, 4, true, AP_TRN, AP_SAT_ZERO>("SAT_ZERO 8", 8, 0));
        r.push_back(D<4, 4, true, AP_TRN, AP_SAT_ZERO>("SAT_ZERO 7 fits", 7, 7));
        r.push_back(D<4, 4, true, AP_TRN, AP_SAT_ZERO>("SAT_ZERO -8 fits", -8, -8));
        r.push_back(D<4, 4, true, AP_TRN, AP_WRAP>("WRAP 9", 9, -7));
        r.push_back(D<4, 4, true, AP_TRN, AP_WRAP>("WRAP -9", -9, 7));
        r.push_back(D<4, 4, true, AP_TRN, AP_WRAP>("WRAP 16", 16, 0));
        r.push_back(D<4, 4, true, AP_TRN, AP_WRAP>("WRAP 23", 23, 7));
        r.push_back(D<4, 4, true, AP_TRN, AP_WRAP>("WRAP -17", -17, -1));
        r.push_back(D<4, 4, false, AP_TRN, AP_SAT>("ufixed SAT -1", -1, 0));
        r.push_back(D<4, 4, false, AP_TRN, AP_SAT>("ufixed SAT 16", 16, 15));
        r.push_back(D<4, 4, false, AP_TRN, AP_SAT>("ufixed SAT 15.9", 15.9, 15));
        r.push_back(D<4, 4, false, AP_TRN, AP_SAT_SYM>("ufixed SAT_SYM -3 as SAT", -3, 0));
        r.push_back(D<4, 4, false, AP_TRN, AP_SAT_SYM>("ufixed SAT_SYM 20 as SAT", 20, 15));
        r.push_back(D<4, 4, false, AP_TRN, AP_SAT_ZERO>("ufixed SAT_ZERO -1", -1, 0));
        r.push_back(D<4, 4, false, AP_TRN, AP_SAT_ZERO>("ufixed SAT_ZERO 16", 16, 0));
        r.push_back(D<4, 4, false, AP_TRN, AP_SAT_ZERO>("ufixed SAT_ZERO 15", 15, 15));
        r.push_back(D<4, 4, false, AP_TRN, AP_WRAP>("ufixed WRAP -1", -1, 15));
        r.push_back(D<4, 4, false, AP_TRN, AP_WRAP>("ufixed WRAP 17", 17, 1));
        // I < 0: ap_fixed<4,-2> has LSB 2^-6, codes -8..7; ap_ufixed<3,-1> LSB 2^-4, codes 0..7
        r.push_back(D<4, -2, true, AP_TRN, AP_WRAP>("fixed<4,-2> 0.1", 0.1, 6));  // 6.4
        r.push_back(
            D<4, -2, true, AP_TRN, AP_WRAP>("fixed<4,-2> 0.2 wraps", 0.2, -4));  // 12.8 -> 12
        r.push_back(D<4, -2, true, AP_TRN, AP_SAT>("fixed<4,-2> 0.2 SAT", 0.2, 7));
        r.push_back(D<4, -2, true, AP_TRN, AP_SAT_ZERO>("fixed<4,-2> 0.2 SAT_ZERO", 0.2, 0));
        r.push_back(
            D<4, -2, true, AP_TRN, AP_SAT>("fixed<4,-2> -0.2 SAT", -0.2, -8));  // -12.8 -> -13
        r.push_back(D<4, -2, true, AP_TRN, AP_SAT_SYM>("fixed<4,-2> -0.2 SAT_SYM", -0.2, -7));
        r.push_back(
            D<4, -2, true, AP_TRN, AP_WRAP>("fixed<4,-2> -0.2 wraps", -0.2, 3));  // -13 + 16
        r.push_back(D<3, -1, false, AP_TRN, AP_WRAP>("ufixed<3,-1> 0.5 wraps", 0.5, 0));  // 8
        r.push_back(D<3, -1, false, AP_TRN, AP_WRAP>("ufixed<3,-1> 0.4375", 0.4375, 7));
        r.push_back(D<3, -1, false, AP_TRN, AP_WRAP>("ufixed<3,-1> -1/16 wraps", -0.0625, 7));
        r.push_back(D<3, -1, false, AP_TRN, AP_SAT>("ufixed<3,-1> -1/16 SAT", -0.0625, 0));
        // I > W: ap_fixed<3,5> has LSB 4, codes -4..3; ap_ufixed<2,6> LSB 16, codes 0..3
        r.push_back(D<3, 5, true, AP_RND, AP_WRAP>("fixed<3,5> RND 13", 13, 3));         // 3.25
        r.push_back(D<3, 5, true, AP_RND, AP_WRAP>("fixed<3,5> RND 14 wraps", 14, -4));  // 3.5 -> 4
        r.push_back(D<3, 5, true, AP_RND, AP_SAT>("fixed<3,5> RND 14 SAT", 14, 3));
        r.push_back(D<3, 5, true, AP_TRN, AP_WRAP>("fixed<3,5> TRN 20 wraps", 20, -3));     // 5
        r.push_back(D<3, 5, true, AP_RND_CONV, AP_WRAP>("fixed<3,5> RND_CONV 10", 10, 2));  // 2.5
        r.push_back(D<2, 6, false, AP_TRN, AP_WRAP>("ufixed<2,6> 100 wraps", 100, 2));  // 6.25 -> 6
        r.push_back(D<2, 6, false, AP_TRN, AP_SAT>("ufixed<2,6> 100 SAT", 100, 3));
        // W = 1
        r.push_back(D<1, 1, true, AP_RND, AP_WRAP>("fixed<1,1> RND 0.7 wraps", 0.7, -1));
        r.push_back(D<1, 1, true, AP_RND, AP_SAT>("fixed<1,1> RND 0.7 SAT", 0.7, 0));
        r.push_back(D<1, 1, true, AP_TRN, AP_SAT_SYM>("fixed<1,1> SAT_SYM -3 as SAT", -3, -1));
        r.push_back(D<1, 1, true, AP_TRN, AP_SAT_SYM>("fixed<1,1> SAT_SYM 5", 5, 0));
        r.push_back(D<1, 1, true, AP_TRN, AP_WRAP>("fixed<1,1> 1 wraps", 1, -1));
        r.push_back(D<1, 0, true, AP_RND, AP_WRAP>("fixed<1,0> RND -0.25 tie up", -0.25, 0));
        r.push_back(D<1, 0, true, AP_RND_INF, AP_WRAP>("fixed<1,0> RND_INF -0.25", -0.25, -1));
        r.push_back(
            D<1, 0, true, AP_RND_MIN_INF, AP_WRAP>("fixed<1,0> RND_MIN_INF -0.25", -0.25, -1));
        r.push_back(D<1, 0, false, AP_RND, AP_WRAP>("ufixed<1,0> RND 0.3", 0.3, 1));  // 0.6
        r.push_back(
            D<1, 0, false, AP_RND, AP_WRAP>("ufixed<1,0> RND 0.75 wraps", 0.75, 0));  // 1.5 -> 2
        r.push_back(D<1, 0, false, AP_RND, AP_SAT>("ufixed<1,0> RND 0.75 SAT", 0.75, 1));
        r.push_back(D<1, 0, false, AP_RND, AP_SAT_ZERO>("ufixed<1,0> RND 0.75 SAT_ZERO", 0.75, 0));
        r.push_back(D<1, 1, false, AP_TRN, AP_WRAP>("ufixed<1,1> 1", 1, 1));
        r.push_back(D<1, 1, false, AP_TRN, AP_WRAP>("ufixed<1,1> 2 wraps", 2, 0));
        r.push_back(D<1, 1, false, AP_TRN, AP_WRAP>("ufixed<1,1> 3 wraps", 3, 1));
        // exact binary value of the double, then one rounding (0.1 = 3602879701896397·2^-55)
        r.push_back(D<24, 1, true, AP_TRN>("0.1 TRN F=23", 0.1, 838860));  // 838860.8
        r.push_back(D<24, 1, true, AP_RND>("0.1 RND F=23", 0.1, 838861));
        r.push_back(D<60, 1, true, AP_TRN>("0.1 exact F=59", 0.1, 57646075230342352LL));  // ·16
        r.push_back(D<12, 4, true>("more fractional bits: exact", 1.5, 384));
        // ---- from C integers (exact integer, then quantize/overflow)
        r.push_back(N<8, 3, true, AP_TRN, AP_WRAP>("int 5 into fixed<8,3> wraps", 5, -96));  // 160
        r.push_back(N<8, 3, true, AP_TRN, AP_SAT>("int 5 into fixed<8,3> SAT", 5, 127));
        r.push_back(N<6, 2, true, AP_TRN, AP_SAT>("int -3 into fixed<6,2> SAT", -3, -32));
        r.push_back(N<8, 8, false, AP_TRN, AP_WRAP>("int -1 into ufixed<8,8>", -1, 255));
        r.push_back(
            N<4, 6, true, AP_TRN, AP_WRAP>("int 13 into fixed<4,6> floors", 13, 3));       // 3.25
        r.push_back(N<4, 6, true, AP_RND, AP_WRAP>("int 14 into fixed<4,6> RND", 14, 4));  // 3.5
        r.push_back(
            N<4, 6, true, AP_RND, AP_WRAP>("int -14 into fixed<4,6> RND", -14, -3));  // -3.5
        r.push_back(N<4, 6, true, AP_RND_CONV, AP_WRAP>("int -14 RND_CONV", -14, -4));
        r.push_back(N<3, 5, true, AP_RND, AP_WRAP>("int 14 into fixed<3,5> wraps", 14, -4));
        r.push_back(N<40, 40, true>("long long 123456789012", 123456789012LL, 123456789012LL));
        r.push_back(N<16, 16, true>("LLONG_MIN wraps to 0", LLONG_MIN, 0));
        r.push_back(N<16, 16, true, AP_TRN, AP_SAT>("LLONG_MIN SAT", LLONG_MIN, -32768));
        r.push_back(N<12, -2, true, AP_RND, AP_WRAP>("int 1 into fixed<12,-2>", 1,
                                                     0));  // 2^14 -> low 12 bits
        r.push_back(N<12, -2, true, AP_RND, AP_SAT>("int 1 into fixed<12,-2> SAT", 1, 2047));
        // clang-format on
        return r;
    }();
    return rows;
}

// ---- the randomized cross-check: destination formats chosen at compile time --------------------

constexpr std::uint64_t splitmix(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

constexpr ap_q_mode kQModes[7] = {AP_RND,      AP_RND_ZERO, AP_RND_MIN_INF, AP_RND_INF,
                                  AP_RND_CONV, AP_TRN,      AP_TRN_ZERO};
constexpr ap_o_mode kOModes[4] = {AP_SAT, AP_SAT_ZERO, AP_SAT_SYM, AP_WRAP};

// Format K: every (Q, O) pair every 28 formats; W in 1..24 and I in -4..28 from a hash; the first
// formats pin the corners (W = 1, I < 0, I > W).
template <int K>
struct RandomFormat {
    static constexpr std::uint64_t h = splitmix(std::uint64_t(K) * 7919 + 17);
    static constexpr int W = K < 28 ? 1 + K % 3 : 1 + int(h % 24);
    static constexpr int I = K < 28 ? (K % 4 == 0   ? -4
                                       : K % 4 == 1 ? 28
                                       : K % 4 == 2 ? 0
                                                    : 1)
                                    : -4 + int((h >> 8) % 33);
    static constexpr bool S = K < 28 ? (K / 2) % 2 == 0 : ((h >> 16) & 1) != 0;
    static constexpr ap_q_mode Q = kQModes[K % 7];
    static constexpr ap_o_mode O = kOModes[(K / 7) % 4];
    using type = fx_t<W, I, S, Q, O>;
};

// The source of one random conversion (value and its exact (m, f) for the engine).
using SrcA = ap_fixed<32, 12>;
using SrcB = ap_ufixed<20, -2>;
using SrcC = ap_int<40>;
using SrcD = ap_fixed<24, 30>;
using SrcE = ap_fixed<48, 20>;
using ProdA = ap_fixed<16, 6>;
using ProdB = ap_ufixed<12, 3>;

enum class SrcKind { Double, Float, LongLong, Unsigned, Int, A, B, C, D, E, Product, Count };

struct Source {
    SrcKind kind = SrcKind::Double;
    double d = 0;
    float f = 0;
    long long ll = 0;
    unsigned u = 0;
    int i = 0;
    SrcA a;
    SrcB b;
    SrcC c;
    SrcD dd;
    SrcE e;
    ProdA pa;
    ProdB pb;
};

template <int K>
qint64 random_convert(const Source& s) {
    using T = typename RandomFormat<K>::type;
    switch (s.kind) {
        case SrcKind::Double:
            return T(s.d).raw_code();
        case SrcKind::Float:
            return T(s.f).raw_code();
        case SrcKind::LongLong:
            return T(s.ll).raw_code();
        case SrcKind::Unsigned:
            return T(s.u).raw_code();
        case SrcKind::Int:
            return T(s.i).raw_code();
        case SrcKind::A:
            return T(s.a).raw_code();
        case SrcKind::B:
            return T(s.b).raw_code();
        case SrcKind::C:
            return T(s.c).raw_code();
        case SrcKind::D:
            return T(s.dd).raw_code();
        case SrcKind::E:
            return T(s.e).raw_code();
        case SrcKind::Product:
            return T(s.pa * s.pb).raw_code();
        case SrcKind::Count:
            break;
    }
    return 0;
}

template <int K>
hgq::FixedFormat random_format() {
    using F = RandomFormat<K>;
    return hgq::FixedFormat{F::W, F::I, F::S, to_engine(F::Q), to_engine(F::O)};
}

constexpr int kRandomFormats = 168;  // 6 full cycles of the 28 (Q, O) pairs

using ConvertFn = qint64 (*)(const Source&);
template <std::size_t... K>
std::array<ConvertFn, sizeof...(K)> convert_table(std::index_sequence<K...>) {
    return {{&random_convert<int(K)>...}};
}
template <std::size_t... K>
std::array<hgq::FixedFormat, sizeof...(K)> format_table(std::index_sequence<K...>) {
    return {{random_format<int(K)>()...}};
}

// Sets an ap value's raw code through the public .range() write.
template <class T>
T from_raw(long long code) {
    T v;
    v.range() = code;
    return v;
}

// ---- a function written the way the exported HLS code looks -----------------------------------

namespace tb {
typedef ap_fixed<8, 3, AP_RND, AP_SAT> input_t;         // LSB 1/32
typedef ap_ufixed<6, 2, AP_RND_CONV, AP_SAT> result_t;  // LSB 1/16, [0, 3.9375]
typedef ap_fixed<6, 1, AP_RND, AP_SAT_SYM> result2_t;   // LSB 1/32, [-31/32, 31/32]

// Exact ×2^s: the same bits with the binary point moved (da4ml's bit_shift idiom).
template <int s, class T>
ap_fixed<T::width, T::iwidth + s> bit_shift(T x) {
    ap_fixed<T::width, T::iwidth + s> r;
    r.range() = x.range();
    return r;
}

void layer(input_t model_inp[3], result_t model_out[2], result2_t model_out2[2],
           ap_fixed<12, 5>& acc_out) {
    ap_fixed<8, 3> v0 = model_inp[0];
    ap_fixed<8, 3> v1 = model_inp[1];
    ap_fixed<8, 3> v2 = model_inp[2];
    ap_fixed<10, 5> v3 = v0 + bit_shift<1>(v1);                              // x0 + 2·x1
    ap_fixed<13, 6> v4 = v3 - bit_shift<-2>(v2);                             // − x2/4
    ap_fixed<13, 6> v5 = v4 + ap_ufixed<1, -1>(0.25);                        // + bias 0.25
    ap_fixed<13, 6> v6 = v5 > 0 ? ap_fixed<13, 6>(v5) : ap_fixed<13, 6>(0);  // ReLU select
    model_out[0] = result_t(v6);  // the cast is the quantizer
    ap_fixed<9, 4> v7 = v1 - v0;
    ap_ufixed<8, 3> v8 = v7[8] ? ap_ufixed<8, 3>(0) : ap_ufixed<8, 3>(v7);  // MSB mux ReLU
    model_out[1] = v8;
    model_out2[0] = -(v0 * v2);
    model_out2[1] = v0 * v2;
    ap_fixed<12, 5> acc = 0;
    for (int i = 0; i < 3; ++i) acc += bit_shift<-1>(model_inp[i]);  // widened accumulator
    acc_out = acc;
}
}  // namespace tb

}  // namespace

class FxEmulTest : public QObject {
    Q_OBJECT
  private slots:
    void conversions_data() {
        QTest::addColumn<int>("row");
        const auto& rows = conversion_rows();
        for (int k = 0; k < int(rows.size()); ++k) QTest::newRow(rows[size_t(k)].name) << k;
    }
    // Every hand-worked row: the emulation and the engine both give the expected code.
    void conversions() {
        QFETCH(int, row);
        const ConvRow& r = conversion_rows()[size_t(row)];
        hgq::Wide m = 0;
        int f = 0;
        if (r.is_int) {
            m = r.ivalue;
            QCOMPARE(r.from_int(r.ivalue), r.want);
        } else {
            hgq::exact_from_double(r.value, m, f);
            QCOMPARE(r.from_double(r.value), r.want);
        }
        QCOMPARE(qint64(hgq::quantize_code(m, f, r.fmt)), r.want);
    }

    void fromOtherTypes() {
        // only the destination's modes matter; the source's are irrelevant
        QCOMPARE(ap_raw_code(ap_fixed<4, 2, AP_RND_CONV>(ap_fixed<8, 3, AP_TRN, AP_SAT>(1.375))),
                 6LL);  // 5.5 LSB
        QCOMPARE(ap_raw_code(ap_fixed<4, 2, AP_RND>(ap_fixed<8, 3>(1.375))), 6LL);
        QCOMPARE(ap_raw_code(ap_fixed<4, 2, AP_TRN>(ap_fixed<8, 3, AP_RND>(1.375))), 5LL);
        QCOMPARE(ap_raw_code(ap_fixed<3, 1, AP_RND_CONV>(ap_fixed<8, 4>(-0.625))),
                 -2LL);  // -2.5 LSB
        QCOMPARE(ap_raw_code(ap_ufixed<4, 4, AP_TRN, AP_SAT>(ap_fixed<8, 4>(-2.5))), 0LL);
        QCOMPARE(ap_raw_code(ap_fixed<8, 3>(ap_int<8>(-3))), -96LL);
        QCOMPARE(ap_raw_code(ap_fixed<8, 3, AP_TRN, AP_SAT>(ap_uint<8>(200))), 127LL);
        // ap_[u]int truncates a fraction toward zero (like a C cast), then wraps
        QCOMPARE(ap_raw_code(ap_int<8>(ap_fixed<8, 4>(-2.5))), -2LL);
        QCOMPARE(ap_raw_code(ap_int<8>(ap_fixed<8, 4>(2.5))), 2LL);
        QCOMPARE(ap_raw_code(ap_int<4>(ap_fixed<12, 8>(20.75))), 4LL);  // 20 -> wraps
        QCOMPARE(ap_raw_code(ap_uint<4>(ap_fixed<8, 4>(-2.5))), 14LL);
        QCOMPARE(ap_raw_code(ap_int<8>(-2.7)), -2LL);
        QCOMPARE(ap_raw_code(ap_int<8>(2.7)), 2LL);
        QCOMPARE(ap_raw_code(ap_int<8>(300)), 44LL);
        QCOMPARE(ap_raw_code(ap_int<8>(-129)), 127LL);
        QCOMPARE(ap_raw_code(ap_uint<4>(-1)), 15LL);
        QCOMPARE(ap_raw_code(ap_int<64>(LLONG_MIN)), LLONG_MIN);
        QCOMPARE(ap_raw_code(ap_fixed<16, 16>(0xFFFFFFFFFFFFFFFFULL)), -1LL);
        QCOMPARE(ap_raw_code(ap_fixed<8, 8, AP_TRN, AP_SAT>(1000u)), 127LL);
        QCOMPARE(ap_raw_code(ap_ufixed<8, 4>(true)), 16LL);
        QCOMPARE(ap_raw_code(ap_fixed<12, 8>('A')), 1040LL);
        QCOMPARE(ap_raw_code(ap_fixed<8, 8>(short(-200))), 56LL);
        // float: 0.1f = 13421773·2^-27 -> 838860.8125 LSB at F = 23
        QCOMPARE(ap_raw_code(ap_fixed<24, 1, AP_TRN>(0.1f)), 838860LL);
        QCOMPARE(ap_raw_code(ap_fixed<24, 1, AP_RND>(0.1f)), 838861LL);
        QCOMPARE(ap_raw_code(ap_fixed<8, 3>(0.1f)), 3LL);
        // assignment uses the destination's modes too
        ap_fixed<3, 1, AP_RND, AP_SAT> y;
        y = 0.875;
        QCOMPARE(y.raw_code(), 3LL);
        y = ap_fixed<8, 4>(-0.375);
        QCOMPARE(y.raw_code(), -1LL);
        y = -7;
        QCOMPARE(y.raw_code(), -4LL);
        // non-finite doubles: NaN -> 0, ±inf as an out-of-range value
        QCOMPARE(ap_raw_code(ap_fixed<8, 3, AP_TRN, AP_SAT>(HUGE_VAL)), 127LL);
        QCOMPARE(ap_raw_code(ap_fixed<8, 3, AP_TRN, AP_SAT>(-HUGE_VAL)), -128LL);
        QCOMPARE(ap_raw_code(ap_fixed<8, 3>(std::nan(""))), 0LL);
        QCOMPARE(ap_raw_code(ap_fixed<8, 3, AP_TRN, AP_SAT>(1e300)), 127LL);
        QCOMPARE(ap_raw_code(ap_fixed<8, 3>(1e300)),
                 0LL);  // the low 8 bits of a huge multiple of 2
        QCOMPARE(ap_raw_code(ap_fixed<8, 3>(-1e-300)), -1LL);
    }

    void toNative() {
        QCOMPARE((ap_fixed<8, 3>(-2.75).to_int()), -2);  // toward zero
        QCOMPARE((ap_fixed<8, 3>(2.75).to_int()), 2);
        QCOMPARE((ap_fixed<4, 6>(-8).to_int()), -8);
        QCOMPARE((ap_fixed<8, -2>(0.2).to_int()), 0);
        QCOMPARE((ap_fixed<60, 50>(-123456789012.75).to_int64()), -123456789012LL);
        QCOMPARE((ap_fixed<8, 3>(-2.75).to_double()), -2.75);
        QCOMPARE((ap_ufixed<8, -2>(0.2).to_double()),
                 51.0 / 256);  // 0.2·1024 = 204.8 -> 204 / 1024
        QCOMPARE((ap_fixed<8, 3>(1.3).to_float()), 1.28125f);
        QCOMPARE((ap_fixed<3, 5>(12).to_double()), 12.0);
        QCOMPARE(ap_uint<64>(0xFFFFFFFFFFFFFFFFULL).to_uint64(), 0xFFFFFFFFFFFFFFFFULL);
        QCOMPARE(ap_uint<64>(0xFFFFFFFFFFFFFFFFULL).raw_code(), -1LL);  // low 64 bits
        // ap_[u]int convert implicitly like Vitis' (array indices, C arithmetic)
        const int table[4] = {10, 20, 30, 40};
        ap_uint<2> idx = 3;
        QCOMPARE(table[idx], 40);
        ap_int<8> n = -5;
        long long c = n;
        QCOMPARE(c, -5LL);
        QCOMPARE((ap_fixed<8, 3>(1.5).length()), 8);
        QVERIFY((ap_fixed<8, 3>(-0.25).is_neg()));
    }

    void resultTypes() {
        using A = ap_fixed<7, 2>;
        using B = ap_ufixed<5, 3>;
        // spec §3.5's measured widths
        static_assert(std::is_same<decltype(A() * B()), ap_fixed<12, 5>>::value, "product");
        static_assert(std::is_same<decltype(A() + B()), ap_fixed<10, 5>>::value, "sum");
        static_assert(std::is_same<decltype(A() - B()), ap_fixed<10, 5>>::value, "difference");
        static_assert(std::is_same<decltype(-B()), ap_fixed<6, 4>>::value, "negation");
        static_assert(
            std::is_same<decltype(ap_ufixed<4, 2>() + ap_ufixed<6, 1>()), ap_ufixed<8, 3>>::value,
            "u+u");
        static_assert(
            std::is_same<decltype(ap_ufixed<4, 2>() - ap_ufixed<6, 1>()), ap_fixed<8, 3>>::value,
            "u-u");
        static_assert(
            std::is_same<decltype(ap_ufixed<4, 2>() * ap_ufixed<6, 1>()), ap_ufixed<10, 3>>::value,
            "u*u");
        static_assert(
            std::is_same<decltype(ap_fixed<16, -4>() * ap_fixed<8, 10>()), ap_fixed<24, 6>>::value,
            "I<0");
        static_assert(
            std::is_same<decltype(ap_fixed<4, -2>() + ap_fixed<4, 4>()), ap_fixed<11, 5>>::value,
            "I<0 sum");
        // a C int is ap_fixed<32,32> next to a fixed type (spec: x + 1 with <8,3> is <38,33>)
        static_assert(std::is_same<decltype(ap_fixed<8, 3>() + 1), ap_fixed<38, 33>>::value, "x+1");
        static_assert(std::is_same<decltype(1 + ap_fixed<8, 3>()), ap_fixed<38, 33>>::value, "1+x");
        static_assert(std::is_same<decltype(ap_fixed<8, 3>() * 2), ap_fixed<40, 35>>::value, "x*2");
        static_assert(std::is_same<decltype(1u + ap_fixed<8, 3>()), ap_fixed<39, 34>>::value,
                      "1u+x");
        // integers: ap_int<W1+W2>, max(..)+1, unsigned operands one bit wider next to signed ones
        static_assert(std::is_same<decltype(ap_int<8>() * ap_uint<8>()), ap_int<16>>::value, "i*u");
        static_assert(std::is_same<decltype(ap_uint<8>() * ap_uint<8>()), ap_uint<16>>::value,
                      "u*u");
        static_assert(std::is_same<decltype(ap_int<8>() + ap_uint<8>()), ap_int<10>>::value, "i+u");
        static_assert(std::is_same<decltype(ap_uint<8>() + ap_uint<4>()), ap_uint<9>>::value,
                      "u+u");
        static_assert(std::is_same<decltype(ap_uint<8>() - ap_uint<4>()), ap_int<9>>::value, "u-u");
        static_assert(std::is_same<decltype(-ap_uint<8>()), ap_int<9>>::value, "-u");
        static_assert(std::is_same<decltype(ap_int<8>() + 1), ap_int<33>>::value, "i+1");
        static_assert(
            std::is_same<decltype(ap_int<8>() * ap_fixed<8, 3>()), ap_fixed<16, 11>>::value, "i*x");
        static_assert(std::is_same<decltype(ap_int<64>() + ap_int<64>()), ap_int<65>>::value,
                      "64-bit sum");
        static_assert(std::is_same<decltype(ap_int<32>() * ap_int<32>()), ap_int<64>>::value,
                      "32x32");
        static_assert(std::is_same<decltype(ap_fixed<8, 3>() << 2), ap_fixed<8, 3>>::value,
                      "shift keeps type");
        static_assert(ap_fixed<12, 5>::width == 12 && ap_fixed<12, 5>::iwidth == 5, "width/iwidth");
        static_assert(ap_int<7>::width == 7 && ap_int<7>::iwidth == 7, "ap_int I = W");
        static_assert(ap_fixed<8, 3, AP_RND, AP_SAT>::qmode == AP_RND &&
                          ap_fixed<8, 3, AP_RND, AP_SAT>::omode == AP_SAT,
                      "modes");

        // exact values
        const A a = 1.6875;                           // 54/32
        const B b = 2.75;                             // 11/4
        QCOMPARE(ap_raw_code(a * b), 54LL * 11);      // F = 5 + 2
        QCOMPARE(ap_raw_code(a + b), 54LL + 11 * 8);  // aligned to F = 5
        QCOMPARE(ap_raw_code(a - b), 54LL - 11 * 8);
        QCOMPARE(ap_raw_code(-b), -11LL);
        QCOMPARE(ap_raw_code(-ap_fixed<4, 4>(-8)), 8LL);        // the widened type holds +8
        QCOMPARE(ap_raw_code(ap_fixed<8, 3>(2.5) + 1), 112LL);  // 3.5 at F = 5
        QCOMPARE(ap_raw_code(ap_int<32>(INT_MIN) * ap_int<32>(INT_MIN)), 1LL << 62);
        QCOMPARE(ap_raw_code(ap_int<32>(INT_MIN) * ap_uint<32>(0xFFFFFFFFu)),
                 -(1LL << 31) * 0xFFFFFFFFLL);
        const auto big = ap_int<64>(LLONG_MAX) + ap_int<64>(LLONG_MAX);  // 2^64 - 2
        QVERIFY(!big[64]);
        QCOMPARE(big.range(63, 0).to_uint64(), 0xFFFFFFFFFFFFFFFEULL);
        QVERIFY(big > ap_int<64>(LLONG_MAX));
        const auto ubig = ap_uint<64>(0xFFFFFFFFFFFFFFFFULL) + ap_uint<64>(1);  // 2^64
        QVERIFY(ubig[64]);
        QCOMPARE(ubig.range(63, 0).to_uint64(), 0ULL);
        const auto neg =
            ap_int<64>(LLONG_MIN) - ap_uint<64>(0xFFFFFFFFFFFFFFFFULL);  // -2^63 - 2^64 + 1
        QCOMPARE(neg.to_double(), -27670116110564327424.0);
        QCOMPARE(ap_raw_code(ap_int<8>(100) + ap_int<8>(100)), 200LL);  // no wrap in ap_int<9>
        QCOMPARE(ap_raw_code(ap_uint<4>(3) - ap_uint<8>(200)), -197LL);

        // randomized exact products / sums / differences of mixed types
        std::mt19937_64 rng(7);
        for (int k = 0; k < 20000; ++k) {
            const long long ca = (long long)(rng() % 4096) - 2048;  // ap_fixed<12,4>, F = 8
            const long long cb = (long long)(rng() % 1024);         // ap_ufixed<10,3>, F = 7
            const auto x = from_raw<ap_fixed<12, 4>>(ca);
            const auto y = from_raw<ap_ufixed<10, 3>>(cb);
            QCOMPARE(x.raw_code(), ca);
            QCOMPARE(y.raw_code(), cb);
            QCOMPARE(ap_raw_code(x * y), ca * cb);
            QCOMPARE(ap_raw_code(x + y), ca + 2 * cb);
            QCOMPARE(ap_raw_code(x - y), ca - 2 * cb);
            QCOMPARE(ap_raw_code(y - x), 2 * cb - ca);
            QCOMPARE(ap_raw_code(-x), -ca);
        }
    }

    void compoundOps() {
        // exact sum, then quantized into the left operand's type with its own modes
        ap_fixed<8, 3, AP_RND, AP_SAT> acc = 3.5;
        acc += ap_fixed<8, 3>(1.0);
        QCOMPARE(acc.raw_code(), 127LL);
        acc -= 10;
        QCOMPARE(acc.raw_code(), -128LL);
        acc = 1.5;
        acc *= ap_fixed<4, 2>(-1.5);  // -2.25 exactly
        QCOMPARE(acc.raw_code(), -72LL);
        acc *= ap_ufixed<8, 0, AP_TRN>(
            0.01171875);  // 3/256: -2.25·3/256 = -0.0263671875 = -0.84375 LSB
        QCOMPARE(acc.raw_code(), -1LL);
        ap_fixed<6, 2, AP_TRN, AP_WRAP> w = 1.75;
        w += ap_ufixed<4, 2>(0.5);  // 2.25 wraps: 36 - 64 = -28
        QCOMPARE(w.raw_code(), -28LL);
        ap_fixed<4, 2, AP_RND_CONV> r = 0;
        r += ap_fixed<8, 2>(0.375);  // 1.5 LSB -> 2
        QCOMPARE(r.raw_code(), 2LL);
        r += ap_fixed<8, 2>(0.125);  // 2.5 LSB -> 2
        QCOMPARE(r.raw_code(), 2LL);
        ap_int<8> i = 100;
        i += 100;  // 200 wraps
        QCOMPARE(i.raw_code(), -56LL);
        i *= 3;  // -168 wraps to 88
        QCOMPARE(i.raw_code(), 88LL);
        ++i;
        QCOMPARE(i.raw_code(), 89LL);
        const ap_int<8> old = i--;
        QCOMPARE(old.raw_code(), 89LL);
        QCOMPARE(i.raw_code(), 88LL);
        ap_uint<4> u = 15;
        u++;
        QCOMPARE(u.raw_code(), 0LL);
        ap_fixed<8, 3> s = 2.75;
        s <<= 1;
        QCOMPARE(s.to_double(), -2.5);
        s >>= 2;
        QCOMPARE(s.raw_code(), -20LL);
        // engine agreement for += into every (Q, O) on a narrow type
        std::mt19937_64 rng(11);
        for (int k = 0; k < 5000; ++k) {
            const long long ca = (long long)(rng() % 256) - 128,
                            cb = (long long)(rng() % 4096) - 2048;
            const auto b = from_raw<ap_fixed<12, 5>>(cb);  // F = 7
            ap_fixed<8, 3, AP_RND_CONV, AP_SAT_SYM> a1 = from_raw<ap_fixed<8, 3>>(ca);
            ap_ufixed<6, 2, AP_TRN_ZERO, AP_WRAP> a2 = from_raw<ap_fixed<8, 3>>(ca);
            const long long a1_before = a1.raw_code(), a2_before = a2.raw_code();  // F5, F4
            a1 += b;
            a2 -= b;
            QCOMPARE(a1.raw_code(), qint64(hgq::quantize_code(
                                        hgq::Wide(a1_before) * 4 + cb, 7,
                                        {8, 3, true, hgq::QMode::RND_CONV, hgq::OMode::SAT_SYM})));
            QCOMPARE(a2.raw_code(), qint64(hgq::quantize_code(
                                        hgq::Wide(a2_before) * 8 - cb, 7,
                                        {6, 2, false, hgq::QMode::TRN_ZERO, hgq::OMode::WRAP})));
        }
    }

    void comparisons() {
        QVERIFY((ap_fixed<8, 3>(1.5) == ap_ufixed<4, 2>(1.5)));
        QVERIFY(!(ap_fixed<8, 3>(1.5) != ap_ufixed<4, 2>(1.5)));
        QVERIFY((ap_fixed<8, 3>(-0.125) < ap_ufixed<4, 2>(0)));
        QVERIFY((ap_fixed<8, 3>(-0.125) <= ap_fixed<2, 1>(0)));
        QVERIFY((ap_fixed<10, 3>(1.53125) > ap_fixed<8, 3>(1.5)));
        QVERIFY((ap_fixed<10, 3>(1.5) >= ap_fixed<8, 3>(1.5)));
        QVERIFY((ap_fixed<8, 3>(2.5) > 2));
        QVERIFY((ap_fixed<8, 3>(2.5) < 3));
        QVERIFY((2 < ap_fixed<8, 3>(2.5)));
        QVERIFY((ap_fixed<8, 3>(2.5) != 2));
        QVERIFY((ap_fixed<8, 3>(2) == 2));
        QVERIFY((ap_fixed<8, 3>(0) == 0));
        QVERIFY((ap_fixed<8, 3>(-1) < 0));
        QVERIFY(ap_uint<8>(200) > -1);  // exact, not the C unsigned comparison
        QVERIFY(ap_int<8>(-1) < 0u);
        QVERIFY(ap_int<8>(-1) < ap_uint<8>(0));
        // far-apart binary points
        const auto tiny = from_raw<ap_fixed<8, -60>>(1);  // F = 68: 2^-68
        const auto huge = from_raw<ap_fixed<8, 60>>(1);   // F = -52: 2^52
        QVERIFY(tiny > 0);
        QVERIFY(huge > tiny);
        QVERIFY(-huge < -tiny);
        QVERIFY(huge == 4503599627370496LL);
        QVERIFY(huge > 4503599627370495LL);
        QVERIFY(huge < 4503599627370497LL);
        // with doubles: exact
        const auto lsb = from_raw<ap_fixed<60, 2>>(1);  // 2^-58
        QVERIFY(lsb > 0.0);
        QVERIFY(!(lsb == 0.0));
        QVERIFY((ap_fixed<60, 1>(0.1) == 0.1));
        QVERIFY(!(ap_fixed<8, 3>(0.125) < 0.1));
        QVERIFY((0.1 < ap_fixed<8, 3>(0.125)));
        QVERIFY((ap_fixed<8, 3>(0.125) <= 0.125));
        const double nan = std::nan("");
        QVERIFY(!(ap_fixed<8, 3>(1) == nan) && !(ap_fixed<8, 3>(1) < nan) &&
                !(ap_fixed<8, 3>(1) >= nan));
        QVERIFY((ap_fixed<8, 3>(1) != nan));
        QVERIFY((ap_fixed<8, 3>(3) < HUGE_VAL && ap_fixed<8, 3>(3) > -HUGE_VAL));
    }

    void shiftsBitsRanges() {
        // run-time shifts keep the type and lose bits (spec: 2.75 << 1 -> -2.5; 2.75 >> 3 ->
        // 0.34375)
        QCOMPARE((ap_fixed<8, 3>(2.75) << 1).to_double(), -2.5);
        QCOMPARE((ap_fixed<8, 3>(2.75) >> 3).to_double(), 0.34375);
        QCOMPARE((ap_fixed<8, 3, AP_TRN, AP_SAT>(2.75) << 1).to_double(), -2.5);  // no saturation
        QCOMPARE((ap_ufixed<8, 3>(7.75) << 1).to_double(), 7.5);
        QCOMPARE((ap_fixed<8, 3>(-2.75) >> 2).raw_code(), -22LL);   // arithmetic
        QCOMPARE((ap_fixed<8, 3>(-2.75) << -2).raw_code(), -22LL);  // negative amount: other way
        QCOMPARE((ap_fixed<8, 3>(-2.75) >> 20).raw_code(), -1LL);
        QCOMPARE((ap_fixed<8, 3>(-2.75) << 20).raw_code(), 0LL);
        QCOMPARE((ap_int<8>(100) << 1).raw_code(), -56LL);
        QCOMPARE((ap_uint<8>(200) >> 3).raw_code(), 25LL);
        QCOMPARE((ap_uint<8>(200) >> ap_uint<3>(3)).raw_code(), 25LL);
        // bits and ranges: -2.75 in ap_fixed<8,3> is code -88 = 0b10101000
        ap_fixed<8, 3> x = -2.75;
        const ap_fixed<8, 3> cx = x;
        QVERIFY(x[7] && !x[6] && x[5] && !x[4] && x[3] && !x[0]);
        QVERIFY(cx[7] && cx[3] && !cx[2]);
        QCOMPARE(cx.range().raw_code(), 168LL);
        static_assert(std::is_same<decltype(cx.range()), ap_uint<8>>::value,
                      "range() is ap_uint<W>");
        QCOMPARE(cx.range(5, 2).raw_code(), 10LL);
        QCOMPARE(unsigned(x.range(5, 2)), 10u);
        ap_fixed<8, 5> z;
        z.range() = x.range();  // re-typing: the binary point moves 2 bits, value ×4
        QCOMPARE(z.to_double(), -11.0);
        x.range(3, 0) = 0xF;
        QCOMPARE(x.raw_code(), -81LL);  // 0b10101111
        x[7] = 0;
        QCOMPARE(x.raw_code(), 47LL);
        x[7] = x[0];
        QCOMPARE(x.raw_code(), -81LL);
        ap_uint<12> word = 0;
        word.range(11, 8) = ap_int<8>(-1);  // low 4 bits of the source
        QCOMPARE(word.raw_code(), 0xF00LL);
        QCOMPARE(ap_raw_code(~ap_fixed<8, 3>(-2.75)), 87LL);
        QCOMPARE(ap_raw_code(~ap_ufixed<4, 2>(1.25)), 10LL);
        QCOMPARE(ap_raw_code(ap_uint<8>(0xF0) & ap_uint<8>(0x3C)), 0x30LL);
        QCOMPARE(ap_raw_code(ap_uint<8>(0xF0) | 0x0F), 0xFFLL);
        QCOMPARE(ap_raw_code(ap_ufixed<6, 3>(2.5) ^ ap_ufixed<6, 3>(3.0)),
                 12LL);  // 0b010100 ^ 0b011000
        QVERIFY((!ap_fixed<8, 3>(0)));
        // The HLS export's unshared sums (`a += acc_t(x) << s`): a CSD digit can exceed the
        // accumulator's range (x·7 = x·8 − x with |x| ≤ 1 gets ap_fixed<4,4>, which cannot hold
        // 8); the shift wraps, and because the sum itself fits, the wrap cancels exactly.
        using acc_t = ap_fixed<4, 4>;
        const ap_ufixed<1, 1> one = 1;
        QCOMPARE((acc_t(one) << 3).raw_code(), -8LL);
        acc_t a = 0;
        a += acc_t(one) << 3;
        a -= acc_t(one);
        QCOMPARE(a.raw_code(), 7LL);
    }

    // ≥ 100 000 random conversions: random destination format and modes, random source type and
    // value, against the engine's hgq::quantize_code. Every mismatch is a failure.
    void randomizedAgainstEngine() {
        static const auto convert = convert_table(std::make_index_sequence<kRandomFormats>());
        static const auto formats = format_table(std::make_index_sequence<kRandomFormats>());
        std::mt19937_64 rng(20240601);
        auto uni = [&](long long lo, long long hi) {
            return lo + (long long)(rng() % (unsigned long long)(hi - lo + 1));
        };
        auto random_code = [&](int W, bool S) {  // a code of W bits, magnitudes of any bit length
            const int nb = int(uni(1, S ? W - 1 : W));
            const long long bits = (long long)(rng() >> (64 - nb));
            return S && (rng() & 1) ? -bits : bits;
        };
        const int kCount = 120000;
        long long mismatches = 0, ties = 0, overflows = 0;
        hgq::Wide max_diff = 0;
        std::array<int, int(SrcKind::Count)> per_kind{};
        for (int n = 0; n < kCount; ++n) {
            const int k = int(uni(0, kRandomFormats - 1));
            const hgq::FixedFormat& fmt = formats[size_t(k)];
            const int F = fmt.W - fmt.I;
            Source s;
            s.kind = SrcKind(uni(0, int(SrcKind::Count) - 1));
            hgq::Wide m = 0;
            int f = 0;
            switch (s.kind) {
                case SrcKind::Double:
                case SrcKind::Float: {
                    double v = 0;
                    switch (uni(0, 4)) {
                        case 0:  // a dyadic value around the LSB: ties and near-ties, in and out of
                                 // range
                            v = std::ldexp(double(uni(-(1LL << (fmt.W + 3)), 1LL << (fmt.W + 3))),
                                           -(F + int(uni(1, 3))));
                            break;
                        case 1:  // uniform over about the range
                            v = std::ldexp(std::uniform_real_distribution<double>(-1.5, 1.5)(rng),
                                           fmt.I);
                            break;
                        case 2:  // any magnitude
                            v = std::ldexp(std::uniform_real_distribution<double>(-1, 1)(rng),
                                           int(uni(-40, 40)));
                            break;
                        case 3:  // a range boundary ± a fraction of an LSB
                            v = std::ldexp(double(uni(-2, 2)) * 0.25 +
                                               double((1LL << (fmt.W - (fmt.is_signed ? 1 : 0))) *
                                                      (uni(0, 1) ? 1 : -1)),
                                           -F);
                            break;
                        default:  // small integers
                            v = double(uni(-300, 300));
                    }
                    if (s.kind == SrcKind::Float) {
                        s.f = float(v);
                        v = double(s.f);
                    }
                    s.d = v;
                    hgq::exact_from_double(v, m, f);
                    break;
                }
                case SrcKind::LongLong:
                    s.ll = random_code(63, true);
                    m = s.ll;
                    break;
                case SrcKind::Unsigned:
                    s.u = unsigned(rng() >> uni(32, 63));
                    m = s.u;
                    break;
                case SrcKind::Int:
                    s.i = int(uni(-1000, 1000));
                    m = s.i;
                    break;
                case SrcKind::A:
                    s.a = from_raw<SrcA>(random_code(32, true));
                    m = s.a.raw_code(), f = 20;
                    break;
                case SrcKind::B:
                    s.b = from_raw<SrcB>(random_code(20, false));
                    m = s.b.raw_code(), f = 22;
                    break;
                case SrcKind::C:
                    s.c = from_raw<SrcC>(random_code(40, true));
                    m = s.c.raw_code(), f = 0;
                    break;
                case SrcKind::D:
                    s.dd = from_raw<SrcD>(random_code(24, true));
                    m = s.dd.raw_code(), f = -6;
                    break;
                case SrcKind::E:
                    s.e = from_raw<SrcE>(random_code(48, true));
                    m = s.e.raw_code(), f = 28;
                    break;
                case SrcKind::Product:
                    s.pa = from_raw<ProdA>(random_code(16, true));
                    s.pb = from_raw<ProdB>(random_code(12, false));
                    m = hgq::Wide(s.pa.raw_code()) * s.pb.raw_code(), f = 10 + 9;
                    break;
                case SrcKind::Count:
                    break;
            }
            ++per_kind[size_t(s.kind)];
            bool ov = false;
            const qint64 want = hgq::quantize_code(m, f, fmt, &ov);
            const qint64 got = convert[size_t(k)](s);
            overflows += ov;
            const int sh = f - F;
            if (sh > 0 && sh < 100) {
                const hgq::Wide r = m - ((m >> sh) << sh);
                if (r == (hgq::Wide(1) << (sh - 1))) ++ties;
            }
            if (got != want) {
                ++mismatches;
                const hgq::Wide d = hgq::Wide(got) - want;
                if ((d < 0 ? -d : d) > max_diff) max_diff = d < 0 ? -d : d;
                if (mismatches <= 10)
                    qWarning("mismatch: %s %s, source kind %d, got %lld, engine %lld",
                             fmt.ap_type().c_str(), fmt.is_signed ? "signed" : "unsigned",
                             int(s.kind), (long long)got, (long long)want);
            }
        }
        qInfo(
            "randomized: %d conversions over %d formats (W 1..24, I -4..28, all 28 Q/O pairs), "
            "%lld exact ties, %lld overflows; mismatches %lld, max |diff| %lld",
            kCount, kRandomFormats, ties, overflows, mismatches, (long long)max_diff);
        for (int kind = 0; kind < int(SrcKind::Count); ++kind)
            QVERIFY(per_kind[size_t(kind)] > 1000);
        QVERIFY(ties > 1000);
        QVERIFY(overflows > 1000);
        QCOMPARE(mismatches, 0LL);
        QCOMPARE((long long)max_diff, 0LL);
    }

    // A function shaped like the exported HLS code, against hand-computed codes.
    void compileLikeATestbench() {
        {
            // x = {1.3, 0.45, -2.2} -> input codes (RND, F = 5): 41.6 -> 42, 14.4 -> 14, -70.4 ->
            // -70
            tb::input_t in[3] = {1.3, 0.45, -2.2};
            tb::result_t out[2];
            tb::result2_t out2[2];
            ap_fixed<12, 5> acc;
            tb::layer(in, out, out2, acc);
            QCOMPARE(ap_raw_code(in[0]), 42LL);
            QCOMPARE(ap_raw_code(in[1]), 14LL);
            QCOMPARE(ap_raw_code(in[2]), -70LL);
            // v3 = 42 + 2·14 = 70 (F5); v4 = 70·4 + 70 = 350 (F7); v5 = 350 + 32 = 382; ReLU keeps
            // it; into ufixed<6,2> (F4): 382/8 = 47.75 -> 48
            QCOMPARE(ap_raw_code(out[0]), 48LL);
            // v7 = 14 - 42 = -28 < 0: the MSB mux gives 0
            QCOMPARE(ap_raw_code(out[1]), 0LL);
            // x0·x2 = 42·(-70) = -2940 (F10); −(…) = 2940 -> 91.875 LSB at F5 -> 92 -> SAT_SYM 31,
            // and the product itself saturates symmetrically at -31 (not -32)
            QCOMPARE(ap_raw_code(out2[0]), 31LL);
            QCOMPARE(ap_raw_code(out2[1]), -31LL);
            // acc (F7) = 2·(42 + 14 - 70) = -28
            QCOMPARE(ap_raw_code(acc), -28LL);
        }
        {
            // x = {-0.5, 1.0, 0.375} -> codes -16, 32, 12 (exact)
            tb::input_t in[3] = {-0.5, 1.0, 0.375};
            tb::result_t out[2];
            tb::result2_t out2[2];
            ap_fixed<12, 5> acc;
            tb::layer(in, out, out2, acc);
            // v3 = -16 + 64 = 48; v4 = 192 - 12 = 180; v5 = 212 -> 26.5 LSB at F4: a tie, RND_CONV
            // -> 26
            QCOMPARE(ap_raw_code(out[0]), 26LL);
            // v7 = 32 + 16 = 48 (F5) >= 0 -> ap_ufixed<8,3> 48 -> F4: 24
            QCOMPARE(ap_raw_code(out[1]), 24LL);
            // x0·x2 = -192 (F10) -> ∓6 at F5
            QCOMPARE(ap_raw_code(out2[0]), 6LL);
            QCOMPARE(ap_raw_code(out2[1]), -6LL);
            // acc = 2·(-16 + 32 + 12) = 56
            QCOMPARE(ap_raw_code(acc), 56LL);
        }
    }
};

QTEST_GUILESS_MAIN(FxEmulTest)
#include "test_fx_emul.moc"
