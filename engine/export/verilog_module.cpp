// SPDX-License-Identifier: GPL-3.0-or-later
// The Verilog module: exact-width wires, sign-extended constant shifts, explicit quantization.
#include <algorithm>
#include <bit>
#include <optional>
#include <sstream>

#include "core/error.h"
#include "deploy/integer_plan.h"
#include "export/hls_types.h"
#include "export/verilog_adder_tree.h"
#include "export/verilog_graph.h"
#include "export/verilog_module.h"

namespace hgq::vlog {
namespace {

std::string wire(size_t t, size_t e) {
    return "t" + std::to_string(t) + "_" + std::to_string(e);
}

// A shift of the value `v` (in units of 2^lsb) by `sh` bits with the element's rounding (ap_fixed
// Q mode), its range, and the wire it is written to.
SumNode rounded(std::ostream& os, const SumNode& v, int sh, QMode q, const std::string& name) {
    if (sh > 100 || sh < -100 || signed_width(v.lo, v.hi) - sh > 120)
        throw Error::runtime("Verilog export", "a rounding shift needs more than 120 bits");
    SumNode r{name, 0, 0, 0, false, true, 1};
    std::string expr;
    if (sh <= 0) {
        r.lo = v.lo << -sh, r.hi = v.hi << -sh;
        expr = "(" + v.expr + " <<< " + std::to_string(-sh) + ")";
    } else if (q == QMode::TRN) {
        r.lo = v.lo >> sh, r.hi = v.hi >> sh;
        expr = "(" + v.expr + " >>> " + std::to_string(sh) + ")";
    } else if (q == QMode::RND) {
        // floor((v + 2^(sh-1)) / 2^sh) = floor(v / 2^sh) + bit sh-1 of v: an incrementer on the
        // kept bits instead of an adder across the dropped ones.
        const Wide half = Wide(1) << (sh - 1);
        r.lo = (v.lo + half) >> sh, r.hi = (v.hi + half) >> sh;
        std::string w = v.expr;
        if (!v.named || v.width < sh + 1) {
            os << "  wire signed [" << std::max(v.width, sh + 1) - 1 << ":0] " << name
               << "_v = " << v.expr << ";\n";
            w = name + "_v";
        }
        expr = "(" + w + " >>> " + std::to_string(sh) + ") + $signed({1'b0, " + w + "[" +
               std::to_string(sh - 1) + "]})";
    } else
        throw Error::runtime("Verilog export",
                             std::string("rounding mode ") + to_string(q) + " is not supported yet",
                             "deploy with TRN or RND outputs (the default)");
    r.width = signed_width(r.lo, r.hi);
    os << "  wire signed [" << r.width - 1 << ":0] " << name << " = " << expr << ";\n";
    return r;
}

// The output element from its exact sum: rounding, then ReLU, then the overflow mode. ReLU
// commutes with rounding (monotone, 0 → 0), so it acts on the narrow rounded value: one sign bit
// selects zero. Comparisons are written only where the value's range can leave the type's.
void quantize(std::ostream& os, const std::string& out, const SumNode& v, int sh, bool relu,
              const FixedFormat& fmt, const Element& el) {
    SumNode q = rounded(os, v, sh, fmt.q, "q_" + out);
    if (q.width < el.W + 1) {  // part-select [W-1:0] needs the bits to exist
        os << "  wire signed [" << el.W << ":0] q_" << out << "x = " << q.expr << ";\n";
        q.expr += "x";
        q.width = el.W + 1;
    }
    const bool neg = relu && q.lo < 0;
    std::string expr = q.expr + "[" + std::to_string(el.W - 1) + ":0]";
    if (fmt.o != OMode::WRAP) {
        const Wide max = el.is_signed ? (Wide(1) << (el.W - 1)) - 1 : (Wide(1) << el.W) - 1;
        // One signed bit has no symmetric range: SAT_SYM acts as SAT there (as quantize_code).
        const bool sym = fmt.o == OMode::SAT_SYM && el.W > 1;
        const Wide min = el.is_signed ? (sym ? -max : -max - 1) : 0;
        const bool zero = fmt.o == OMode::SAT_ZERO;
        if (q.lo < min && !relu)
            expr = q.expr + " < " + signed_literal(min, q.width) + " ? " +
                   (zero ? "0" : signed_literal(min, el.W + 1)) + " : " + expr;
        if (q.hi > max)
            expr = q.expr + " > " + signed_literal(max, q.width) + " ? " +
                   (zero ? "0" : signed_literal(max, el.W + 1)) + " : " + expr;
    }
    if (neg) expr = q.expr + "[" + std::to_string(q.width - 1) + "] ? 0 : " + expr;
    os << "  assign " << out << " = " << expr << ";\n";
}

// The value of input element `idx` as a node at its own scale (lsb = −fractional bits), or
// nothing where it is constant zero (padding, pruned). Its range is the code bound clipped to
// what the wire can hold: a signed W-bit code reaches −2^(W−1) but only 2^(W−1) − 1, and the
// symmetric bound alone made every adder fed by two signed inputs one bit too wide (yosys
// trimmed those bits again in the unshared trees, so the adder-bit counts overstated them).
std::optional<SumNode> input_node(size_t l, int idx, const std::vector<Element>& in,
                                  const std::vector<Wide>& bound) {
    if (idx < 0 || bound[idx] == 0 || in[idx].W == 0) return std::nullopt;
    const Element& x = in[idx];
    const Wide top = x.is_signed ? (Wide(1) << (x.W - 1)) - 1 : (Wide(1) << x.W) - 1;
    return SumNode{operand(wire(l, idx), x),
                   x.is_signed ? -std::min(bound[idx], top + 1) : 0,
                   std::min(bound[idx], top),
                   -x.f,
                   false,
                   x.is_signed,
                   x.W + (x.is_signed ? 0 : 1)};
}

std::optional<SumNode> scaled(const std::optional<SumNode>& v, const cse::Term& t) {
    if (!v) return v;
    SumNode n = *v;
    n.lsb += t.shift;
    n.neg = n.neg != t.neg;
    return n;
}

// The graph's intermediates at one position: each a wire `prefix<i>`, or one operand where the
// other is zero here, or nothing. vals: (inputs + nodes), the inputs filled in by the caller.
void instantiate(std::ostream& os, const std::string& prefix, const cse::Graph& g,
                 std::vector<std::optional<SumNode>>& vals, AdderCost& cost) {
    for (size_t i = 0; i < g.nodes.size(); ++i) {
        const cse::Node& n = g.nodes[i];
        const auto a = scaled(vals[n.a.node], n.a), b = scaled(vals[n.b.node], n.b);
        vals.push_back(a && b ? combine_nodes(os, prefix + std::to_string(i), *a, *b, cost)
                       : a    ? a
                              : b);
    }
}

// The bias joins last, at the terms' finest bit or finer: as the adder's minuend it absorbs the
// root's sign (bias − terms), where a separate negation would cost a whole extra adder.
SumNode add_bias(std::ostream& os, const std::string& name, const SumNode& sum, Wide bias,
                 AdderCost& cost) {
    if (bias == 0) return sum;
    int tz = 0;
    while (tz < sum.lsb && ((bias >> tz) & 1) == 0) ++tz;
    const Wide c = bias >> tz;
    const SumNode b{signed_literal(c, 1), c, c, tz, false, false, signed_width(c, c)};
    if (sum.lo == 0 && sum.hi == 0) return b;  // no terms
    return combine_nodes(os, name, b, sum, cost);
}

// The CSE's view of the layer's kernel inputs: for a conv entry, the widest range any position
// feeds it (only the scores depend on it; each position is built with its own ranges).
std::vector<cse::Range> kernel_ranges(size_t l, const IntLayer& d, const std::vector<Element>& in,
                                      const std::vector<Wide>& bound) {
    std::vector<cse::Range> r(d.in);
    const int P = d.kind == IntLayer::Kind::Conv ? d.geom.positions() : 1;
    for (int p = 0; p < P; ++p)
        for (int k = 0; k < d.in; ++k) {
            const int idx =
                d.kind == IntLayer::Kind::Conv ? d.patch_index[size_t(p) * d.in + k] : k;
            const auto v = input_node(l, idx, in, bound);
            if (!v) continue;
            const bool first = r[k].lo == 0 && r[k].hi == 0;
            r[k] = {std::min(r[k].lo, v->lo), std::max(r[k].hi, v->hi),
                    first ? v->lsb : std::min(r[k].exp, v->lsb)};
        }
    return r;
}

// One output from the root of its terms' tree `sum`: the bias, the sign, the quantization.
void emit_output(std::ostream& os, size_t l, size_t e, const IntLayer& d, const IntOutputPlan& o,
                 SumNode sum, const Element& out, AdderCost& cost) {
    const std::string a = "a" + std::to_string(l + 1) + "_" + std::to_string(e);
    sum = add_bias(os, a + "_b", sum, o.bias, cost);
    if (sum.neg) {  // no bias to absorb the sign: one negation at the root
        os << "  wire signed [" << sum.width << ":0] " << a << "_n = -(" << sum.expr << ");\n";
        sum = {a + "_n", -sum.hi, -sum.lo, sum.lsb, false, true, sum.width + 1, sum.depth + 1};
        ++cost.adders;
        cost.bits += sum.width;
    }
    cost.depth = std::max<int64_t>(cost.depth, sum.depth);
    std::string c = wire(l + 1, e);
    c[0] = 'c';
    quantize(os, c, sum, o.acc_f - out.f - sum.lsb, d.relu, d.out_fmt[e], out);
}

// The leaves of one output: its terms at this position (absent where zero), at its scale.
std::vector<SumNode> leaves_of(const std::vector<cse::Term>& terms,
                               const std::vector<std::optional<SumNode>>& vals, int acc_f) {
    std::vector<SumNode> leaves;
    for (const cse::Term& t : terms)
        if (const auto v = scaled(vals[t.node], t)) {
            leaves.push_back(*v);
            leaves.back().lsb += acc_f;  // the tree works at the output's scale
        }
    return leaves;
}

// A shared output's tree. Narrowest terms first, as the unshared trees are built (on the digits
// MLP that cost 2.5 % fewer LUTs than shallowest-first), unless that tree is more than `extra`
// levels deeper than this output's unshared tree (`plain`, its digits); then shallowest first,
// whose depth the CSE's bound guarantees (ceil(log2 Σ 2^depth)).
SumNode shared_tree(std::ostream& os, const std::string& name, std::vector<SumNode> leaves,
                    std::vector<SumNode> plain, int extra, AdderCost& cost) {
    std::ostream none(nullptr);  // formats nothing: only the unshared tree's depth is wanted
    AdderCost unused, narrow_cost;
    const int unshared = emit_adder_tree(none, name, std::move(plain), unused).depth;
    std::ostringstream narrow;
    const SumNode root = emit_adder_tree(narrow, name, leaves, narrow_cost);
    if (extra < 0 || root.depth <= unshared + extra) {
        os << narrow.str();
        cost.adders += narrow_cost.adders, cost.bits += narrow_cost.bits;
        return root;
    }
    return emit_adder_tree(os, name, std::move(leaves), cost, true);
}

}  // namespace

AdderCost emit_kernel_layer(std::ostream& os, size_t l, const IntLayer& d, const IntLayerPlan& plan,
                            const std::vector<Element>& in, const std::vector<Element>& out,
                            const std::vector<Wide>& bound, const cse::Graph& g, int extra) {
    AdderCost cost;
    const bool shared = !g.nodes.empty();
    // Each output's digits, for the depth its unshared tree would have.
    const cse::Graph plain =
        shared ? cse::share_layer(d, kernel_ranges(l, d, in, bound), {false, 0}) : cse::Graph{};
    const bool conv = d.kind == IntLayer::Kind::Conv;
    const int P = conv ? d.geom.positions() : 1;
    for (int p = 0; p < P; ++p) {
        std::vector<std::optional<SumNode>> vals;  // (inputs + intermediates) at this position
        for (int k = 0; k < d.in; ++k)
            vals.push_back(
                input_node(l, conv ? d.patch_index[size_t(p) * d.in + k] : k, in, bound));
        instantiate(os, "s" + std::to_string(l + 1) + "_" + std::to_string(p) + "_", g, vals, cost);
        for (int j = 0; j < d.out; ++j) {
            const size_t e = size_t(p) * d.out + j;
            if (out[e].W == 0) continue;  // pruned: no logic at all
            const IntOutputPlan& o = plan.outputs[e];
            const std::string name = "a" + std::to_string(l + 1) + "_" + std::to_string(e);
            std::vector<SumNode> leaves = leaves_of(g.outputs[j], vals, o.acc_f);
            const SumNode root =
                shared ? shared_tree(os, name, std::move(leaves),
                                     leaves_of(plain.outputs[j], vals, o.acc_f), extra, cost)
                       : emit_adder_tree(os, name, std::move(leaves), cost);
            emit_output(os, l, e, d, o, root, out[e], cost);
        }
    }
    return cost;
}

void emit_pool_layer(std::ostream& os, size_t l, const IntLayer& d, const std::vector<Element>& in,
                     const std::vector<Element>& out) {
    const std::string c = "c" + std::to_string(l + 1) + "_";
    if (d.kind == IntLayer::Kind::Flatten) {
        for (size_t e = 0; e < out.size(); ++e)
            if (out[e].W > 0) os << "  assign " << c << e << " = " << wire(l, e) << ";\n";
        return;
    }
    const WindowGeometry& g = d.geom;
    const int K = g.kh * g.kw;
    const int avg = d.kind == IntLayer::Kind::AvgPool ? std::countr_zero(unsigned(K)) : 0;
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
                       ? signed_literal(0, WS)
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

std::vector<cse::Graph> layer_graphs(const IntegerModel& im, const cse::Options& opt) {
    const auto el = elements(im);
    const auto bounds = code_bounds(im);
    std::vector<cse::Graph> g(im.layers.size());
    for (size_t l = 0; l < im.layers.size(); ++l) {
        const IntLayer& d = im.layers[l];
        if (d.kind == IntLayer::Kind::Dense || d.kind == IntLayer::Kind::Conv)
            g[l] = cse::share_layer(d, kernel_ranges(l, d, el[l], bounds[l]), opt);
    }
    return g;
}

}  // namespace hgq::vlog
