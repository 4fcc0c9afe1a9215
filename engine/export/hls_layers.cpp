// SPDX-License-Identifier: GPL-3.0-or-later
// Layer bodies. A dense output (or a conv kernel's filter) is a sum of constant shifts of its
// inputs: one `+=`/`-=` per CSD digit of each weight, in an accumulator type wide enough that the
// sum never rounds or wraps (a shifted term may wrap and cancel: see emit_sum); the only lossy step
// is the final typed assignment into the element's exact ap_fixed type, which applies its rounding
// and overflow modes — what the integer model does.
#include "export/hls_layers.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "core/error.h"
#include "export/hls_shared.h"

namespace hgq::hls {
namespace {

struct Acc {
    int F = 0;
    double bound = 0;  // largest |value| any output's sum can reach
};

// The accumulator type of a dense/conv layer from its terms' fractional bits and magnitudes.
Acc accumulator(const IntLayer& d, const Tensor& in, bool conv) {
    Acc a;
    const double x_max = std::ldexp(double(in.c.max_abs_code()), -in.c.F());
    for (int j = 0; j < d.out; ++j) {
        double bound = std::ldexp(std::abs(double(d.b_code[j])), -d.b_f[j]);
        if (d.b_code[j] != 0) a.F = std::max(a.F, d.b_f[j]);
        for (int k = 0; k < d.in; ++k) {
            const int64_t w = d.w_code[k * d.out + j];
            if (w == 0 || (!conv && in.zero[k])) continue;
            bound += x_max * std::ldexp(std::abs(double(w)), -d.w_f[k * d.out + j]);
            for (const Digit& g : csd(w))
                a.F = std::max(a.F, in.c.F() + d.w_f[k * d.out + j] - g.shift);
        }
        a.bound = std::max(a.bound, bound);
    }
    return a;
}

std::string acc_type(const Acc& a) {
    const int I = (a.bound > 0 ? int(std::floor(std::log2(a.bound))) : 0) + 2;  // sign + margin
    const int W = I + a.F;
    if (W > 64)
        throw Error::runtime("HLS export", "an accumulator needs " + std::to_string(W) +
                                               " bits; the exporter supports up to 64");
    return "ap_fixed<" + std::to_string(W) + "," + std::to_string(I) + ">";
}

// The shift-add sum of output j over inputs `src(k)`; returns the number of adders. A term
// `acc_t(x) << s` can wrap when a CSD digit exceeds the weight (7 = 8 − 1) and the accumulator
// has no room for it, but ap_fixed shifts and sums are modular and the final sum fits acc_t, so
// the wrap cancels exactly (test_fx_emul checks the emulation does this as Vitis does).
int64_t emit_sum(std::ostream& os, const IntLayer& d, int j, const std::string& acc_t,
                 const std::function<std::string(int)>& src, const std::vector<bool>* zero,
                 int64_t& nonzero) {
    int64_t terms = 0;
    os << "        " << acc_t << " a = ";
    if (d.b_code[j] != 0) {
        os << acc_t << "(" << exact_literal(d.b_code[j], d.b_f[j]) << ");\n";
        ++terms;
    } else {
        os << "0;\n";
    }
    for (int k = 0; k < d.in; ++k) {
        const int64_t w = d.w_code[k * d.out + j];
        if (w == 0 || (zero && (*zero)[k])) continue;
        ++nonzero;
        for (const Digit& g : csd(w)) {
            const int s = g.shift - d.w_f[k * d.out + j];  // value = x · 2^s
            os << "        a " << (g.sign > 0 ? "+=" : "-=") << " " << acc_t << "(" << src(k)
               << ")";
            if (s > 0) os << " << " << s;
            if (s < 0) os << " >> " << -s;
            os << ";\n";
            ++terms;
        }
    }
    return std::max<int64_t>(0, terms - 1);
}

// The element's quantization: ReLU on the exact sum, then the typed cast (round, overflow).
std::string cast_out(const IntLayer& d, int e, const std::string& value, const std::string& acc_t) {
    const FixedFormat& f = d.out_fmt[e];
    if (f.W == 0) return "0";  // pruned: the constant zero
    const std::string v = d.relu ? "(" + value + " > 0 ? " + value + " : " + acc_t + "(0))" : value;
    return f.ap_type() + "(" + v + ")";
}

// Non-zero weights on inputs that are not pruned (the unshared sums count them as they go).
int64_t nonzero(const IntLayer& d, const std::vector<bool>* zero) {
    int64_t n = 0;
    for (int k = 0; k < d.in; ++k)
        for (int j = 0; j < d.out; ++j)
            n += d.w_code[size_t(k) * d.out + j] != 0 && !(zero && (*zero)[k]);
    return n;
}

// The outputs' sums: with sharing, the intermediates first, then each output's remaining terms;
// `store(j)` closes output j's block.
void emit_sums(std::ostream& os, const IntLayer& d, const std::string& acc_t, const Tensor& in,
               bool conv, const cse::Graph* shared, Emitted& em,
               const std::function<std::string(int)>& store) {
    if (!shared) {
        for (int j = 0; j < d.out; ++j) {
            os << "    {  // " << (conv ? "filter " : "output ") << j << "\n";
            em.adders += emit_sum(
                os, d, j, acc_t, [](int k) { return "x[" + std::to_string(k) + "]"; },
                conv ? nullptr : &in.zero, em.nonzero_weights);
            os << store(j) << "    }\n";
        }
        return;
    }
    const cse::Graph& g = *shared;
    os << "    // " << g.nodes.size() << " shared intermediates (exact types)\n";
    const std::vector<Operand> vals = emit_intermediates(os, g, in.c);
    em.adders += int64_t(g.nodes.size());
    em.nonzero_weights += nonzero(d, conv ? nullptr : &in.zero);
    for (int j = 0; j < d.out; ++j) {
        os << "    {  // " << (conv ? "filter " : "output ") << j << "\n";
        em.adders += emit_shared_sum(os, d, j, acc_t, g, vals);
        os << store(j) << "    }\n";
    }
}

Emitted emit_dense(std::ostream& os, const IntLayer& d, const std::string& fn, const Tensor& in,
                   const std::string& in_t, const std::string& out_t, const cse::Graph* shared) {
    Emitted em;
    const std::string acc_t = fn + "_acc_t";
    os << "// " << d.name << ": dense " << d.in << " -> " << d.out << (d.relu ? ", ReLU" : "")
       << "\nstatic void " << fn << "(const " << in_t << " x[" << d.in << "], " << out_t << " y["
       << d.out << "]) {\nHGQ_PRAGMA(HLS INLINE)\n    typedef "
       << acc_type(accumulator(d, in, false)) << " " << acc_t << ";\n";
    emit_sums(os, d, acc_t, in, false, shared, em, [&](int j) {
        return "        y[" + std::to_string(j) + "] = " + cast_out(d, j, "a", acc_t) + ";\n";
    });
    os << "}\n\n";
    return em;
}

}  // namespace

Emitted emit_conv(std::ostream& os, const IntLayer& d, const std::string& fn, const Tensor& in,
                  const std::string& in_t, const std::string& out_t, const cse::Graph* shared);
Emitted emit_pool(std::ostream& os, const IntLayer& d, const std::string& fn, const Tensor& in,
                  const std::string& in_t, const Tensor& out, const std::string& out_t);

Emitted emit_layer(std::ostream& os, const IntLayer& d, const std::string& fn, const Tensor& in,
                   const std::string& in_t, const Tensor& out, const std::string& out_t,
                   const cse::Graph* shared) {
    switch (d.kind) {
        case IntLayer::Kind::Dense:
            return emit_dense(os, d, fn, in, in_t, out_t, shared);
        case IntLayer::Kind::Conv:
            return emit_conv(os, d, fn, in, in_t, out_t, shared);
        default:
            return emit_pool(os, d, fn, in, in_t, out, out_t);
    }
}

// ---- convolution: one kernel function (the CMVM of a patch), applied at every position ----

Emitted emit_conv(std::ostream& os, const IntLayer& d, const std::string& fn, const Tensor& in,
                  const std::string& in_t, const std::string& out_t, const cse::Graph* shared) {
    Emitted em;
    const int P = d.geom.positions(), K = d.in, C = d.out;
    const std::string acc_t = fn + "_acc_t";
    os << "// " << d.name << ": conv, " << P << " positions × (" << K << " -> " << C << ")"
       << (d.relu ? ", ReLU" : "") << "\ntypedef " << acc_type(accumulator(d, in, true)) << " "
       << acc_t << ";\nstatic const int " << fn << "_index[" << P << "][" << K
       << "] = {  // input element of each patch entry, -1 = padding\n";
    for (int p = 0; p < P; ++p) {
        os << "    {";
        for (int k = 0; k < K; ++k) os << (k ? "," : "") << d.patch_index[p * K + k];
        os << "},\n";
    }
    os << "};\nstatic void " << fn << "_kernel(const " << in_t << " x[" << K << "], " << acc_t
       << " acc[" << C << "]) {\nHGQ_PRAGMA(HLS INLINE)\n";
    emit_sums(os, d, acc_t, in, true, shared, em,
              [](int j) { return "        acc[" + std::to_string(j) + "] = a;\n"; });
    em.adders *= d.parallel_factor;  // kernel instances in hardware
    os << "}\nstatic void " << fn << "(const " << in_t << " x[" << d.geom.in_size() << "], "
       << out_t << " y[" << P * C << "]) {\nHGQ_PRAGMA(HLS INLINE)\n    " << acc_t << " acc[" << P
       << "][" << C << "];\nHGQ_PRAGMA(HLS ARRAY_PARTITION variable=acc complete dim=0)\n"
       << "    for (int p = 0; p < " << P << "; ++p) {\nHGQ_PRAGMA(HLS UNROLL)\n        " << in_t
       << " patch[" << K << "];\nHGQ_PRAGMA(HLS ARRAY_PARTITION variable=patch complete)\n"
       << "        for (int k = 0; k < " << K << "; ++k) {\nHGQ_PRAGMA(HLS UNROLL)\n"
       << "            const int i = " << fn << "_index[p][k];\n            patch[k] = i < 0 ? "
       << in_t << "(0) : x[i];\n        }\n        " << fn << "_kernel(patch, acc[p]);\n    }\n";
    for (int p = 0; p < P; ++p)
        for (int j = 0; j < C; ++j)
            os << "    y[" << p * C + j << "] = "
               << cast_out(d, p * C + j,
                           "acc[" + std::to_string(p) + "][" + std::to_string(j) + "]", acc_t)
               << ";\n";
    os << "}\n\n";
    return em;
}

}  // namespace hgq::hls
