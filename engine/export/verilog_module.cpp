// SPDX-License-Identifier: GPL-3.0-or-later
// The Verilog module: exact-width wires, sign-extended constant shifts, explicit quantization.
#include <bit>
#include <sstream>

#include "core/error.h"
#include "deploy/integer_plan.h"
#include "export/hls_types.h"
#include "export/verilog_graph.h"
#include "export/verilog_module.h"

namespace hgq::vlog {
namespace {

std::string wire(size_t t, size_t e) {
    return "t" + std::to_string(t) + "_" + std::to_string(e);
}

int bits_of(Wide v) {
    int b = 0;
    for (Wide a = v < 0 ? -v : v; a > 0; a >>= 1) ++b;
    return b;
}

std::string literal(Wide v, int W) {
    if (v >= (Wide(1) << 62) || -v >= (Wide(1) << 62))
        throw Error::runtime("Verilog export", "a constant needs more than 62 bits");
    const std::string mag = std::to_string(int64_t(v < 0 ? -v : v));
    return std::string(v < 0 ? "-" : "") + std::to_string(W) + "'sd" + mag;
}

// value >> sh with the element's rounding (ap_fixed Q mode), in `W` bits.
std::string rounded(const std::string& r, int sh, QMode q, int W) {
    if (sh <= 0) return "(" + r + " <<< " + std::to_string(-sh) + ")";
    if (q == QMode::TRN) return "(" + r + " >>> " + std::to_string(sh) + ")";
    if (q == QMode::RND)
        return "((" + r + " + " + literal(Wide(1) << (sh - 1), W) + ") >>> " + std::to_string(sh) +
               ")";
    throw Error::runtime("Verilog export",
                         std::string("rounding mode ") + to_string(q) + " is not supported yet",
                         "deploy with TRN or RND outputs (the default)");
}

// The quantized element from its exact sum `r` (acc_f fractional bits, WA bits).
void quantize(std::ostream& os, const std::string& out, const std::string& r, int WA, int acc_f,
              const FixedFormat& fmt, const Element& el) {
    const int sh = acc_f - el.f, WQ = WA + (sh < 0 ? -sh : 0) + 1;
    os << "  wire signed [" << WQ - 1 << ":0] q_" << out << " = " << rounded(r, sh, fmt.q, WQ)
       << ";\n";
    const std::string q = "q_" + out;
    if (fmt.o == OMode::WRAP) {
        os << "  assign " << out << " = " << q << "[" << el.W - 1 << ":0];\n";
        return;
    }
    const Wide max = el.is_signed ? (Wide(1) << (el.W - 1)) - 1 : (Wide(1) << el.W) - 1;
    const Wide min = el.is_signed ? (fmt.o == OMode::SAT_SYM ? -max : -max - 1) : 0;
    const std::string over = q + " > " + literal(max, WQ), under = q + " < " + literal(min, WQ);
    const std::string hi = fmt.o == OMode::SAT_ZERO ? "0" : literal(max, el.W + 1);
    const std::string lo = fmt.o == OMode::SAT_ZERO ? "0" : literal(min, el.W + 1);
    os << "  assign " << out << " = " << over << " ? " << hi << " : " << under << " ? " << lo
       << " : " << q << "[" << el.W - 1 << ":0];\n";
}

}  // namespace

int64_t emit_kernel_layer(std::ostream& os, size_t l, const IntDense& d, const IntLayerPlan& plan,
                          const std::vector<Element>& in, const std::vector<Element>& out,
                          const std::vector<Wide>& bound) {
    int64_t adders = 0;
    for (size_t e = 0; e < plan.outputs.size(); ++e) {
        if (out[e].W == 0) continue;  // pruned: no logic at all
        const IntOutputPlan& o = plan.outputs[e];
        Wide worst = o.bias < 0 ? -o.bias : o.bias;
        std::ostringstream sum;
        int64_t n = o.bias != 0;
        for (int32_t t = o.begin; t < o.end; ++t) {
            const IntTerm& term = plan.terms[t];
            for (const hls::Digit& g : hls::csd(term.w)) {
                const int s = term.shift + g.shift;
                if (bits_of(bound[term.idx]) + s > 100)
                    throw Error::runtime("Verilog export", "a sum needs more than 100 bits");
                worst += bound[term.idx] << s;
                sum << (g.sign > 0 ? " + " : " - ") << "("
                    << operand(wire(l, term.idx), in[term.idx])
                    << (s ? " <<< " + std::to_string(s) : "") << ")";
                ++n;
            }
        }
        adders += std::max<int64_t>(0, n - 1);
        const int WA = bits_of(worst) + 2;
        const std::string a = "a" + std::to_string(l + 1) + "_" + std::to_string(e);
        os << "  wire signed [" << WA - 1 << ":0] " << a << " = " << literal(o.bias, WA)
           << sum.str() << ";\n";
        std::string r = a;
        if (d.relu) {
            r = std::string(1, 'r').append(a);
            os << "  wire signed [" << WA - 1 << ":0] " << r << " = " << a << "[" << WA - 1
               << "] ? " << literal(0, WA) << " : " << a << ";\n";
        }
        std::string c = wire(l + 1, e);
        c[0] = 'c';
        quantize(os, c, r, WA, o.acc_f, d.out_fmt[e], out[e]);
    }
    return adders;
}

void emit_pool_layer(std::ostream& os, size_t l, const IntDense& d, const std::vector<Element>& in,
                     const std::vector<Element>& out) {
    const std::string c = "c" + std::to_string(l + 1) + "_";
    if (d.kind == IntDense::Kind::Flatten) {
        for (size_t e = 0; e < out.size(); ++e)
            if (out[e].W > 0) os << "  assign " << c << e << " = " << wire(l, e) << ";\n";
        return;
    }
    const WindowGeometry& g = d.geom;
    const int K = g.kh * g.kw;
    const int avg = d.kind == IntDense::Kind::AvgPool ? std::countr_zero(unsigned(K)) : 0;
    for (int e = 0; e < d.elements; ++e) {
        if (out[e].W == 0) continue;
        const int p = e / g.in_c, ch = e % g.in_c, WS = out[e].W + 1;
        const std::string m = "m" + std::to_string(l + 1) + "_" + std::to_string(e);
        std::string acc;
        for (int k = 0; k < K; ++k) {
            const int iy = (p / g.out_w) * g.sh + k / g.kw, ix = (p % g.out_w) * g.sw + k % g.kw;
            const int idx = (iy * g.in_w + ix) * g.in_c + ch;
            const std::string v = m + "_" + std::to_string(k);
            const int s = out[e].f - avg - in[idx].f;
            os << "  wire signed [" << WS - 1 << ":0] " << v << " = "
               << (in[idx].W == 0
                       ? literal(0, WS)
                       : "(" + operand(wire(l, idx), in[idx]) + " <<< " + std::to_string(s) + ")")
               << ";\n";
            if (k == 0)
                acc = v;
            else if (avg)
                acc += " + " + v;
            else {
                os << "  wire signed [" << WS - 1 << ":0] " << v << "x = " << v << " > " << acc
                   << " ? " << v << " : " << acc << ";\n";
                acc = v + "x";
            }
        }
        os << "  wire signed [" << WS - 1 << ":0] " << m << " = " << acc << ";\n  assign " << c << e
           << " = " << m << "[" << out[e].W - 1 << ":0];\n";
    }
}

}  // namespace hgq::vlog
