// SPDX-License-Identifier: GPL-3.0-or-later
#include "export/hls_shared.h"

#include <algorithm>

#include "core/error.h"

namespace hgq::hls {
namespace {

std::string fixed(int W, int I) {
    if (W > 127) throw Error::runtime("HLS export", "an intermediate needs over 127 bits");
    return "ap_fixed<" + std::to_string(W) + "," + std::to_string(I) + ">";
}

// v·2^s converted to `target`, exact up to the conversion itself.
std::string shifted(const Operand& v, int s, const std::string& target) {
    if (s == 0) return target + "(" + v.expr + ")";
    if (s > 0)
        return target + "(" + fixed(v.W + s, v.I + s) + "(" + v.expr + ") << " + std::to_string(s) +
               ")";
    return target + "(" + fixed(v.W - s, v.I) + "(" + v.expr + ") >> " + std::to_string(-s) + ")";
}

}  // namespace

std::vector<Operand> emit_intermediates(std::ostream& os, const cse::Graph& g, const Container& c) {
    std::vector<Operand> vals;
    std::vector<cse::Range> range;  // (inputs + nodes) exact, from the container's range
    const int u = c.is_signed ? 0 : 1;
    for (int k = 0; k < g.inputs; ++k) {
        vals.push_back({"x[" + std::to_string(k) + "]", c.W + u, c.I + u});
        range.push_back({c.is_signed ? -(Wide(1) << (c.W - 1)) : 0,
                         c.is_signed ? (Wide(1) << (c.W - 1)) - 1 : (Wide(1) << c.W) - 1, -c.F()});
    }
    for (size_t i = 0; i < g.nodes.size(); ++i) {
        const cse::Node& n = g.nodes[i];
        const cse::Range r = cse::sum_range(range[n.a.node], n.a, range[n.b.node], n.b);
        const int W = cse::signed_bits(r.lo, r.hi);
        const std::string t = fixed(W, W + r.exp), name = "n" + std::to_string(i);
        os << "    const " << t << " " << name << " = " << shifted(vals[n.a.node], n.a.shift, t)
           << (n.b.neg ? " - " : " + ") << shifted(vals[n.b.node], n.b.shift, t) << ";\n";
        vals.push_back({name, W, W + r.exp});
        range.push_back(r);
    }
    return vals;
}

int64_t emit_shared_sum(std::ostream& os, const IntLayer& d, int j, const std::string& acc_t,
                        const cse::Graph& g, const std::vector<Operand>& vals) {
    int64_t terms = 0;
    os << "        " << acc_t << " a = ";
    if (d.b_code[j] != 0) {
        os << acc_t << "(" << exact_literal(d.b_code[j], d.b_f[j]) << ");\n";
        ++terms;
    } else {
        os << "0;\n";
    }
    for (const cse::Term& t : g.outputs[j]) {
        os << "        a " << (t.neg ? "-=" : "+=") << " " << shifted(vals[t.node], t.shift, acc_t)
           << ";\n";
        ++terms;
    }
    return std::max<int64_t>(0, terms - 1);
}

}  // namespace hgq::hls
