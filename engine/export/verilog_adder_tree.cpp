// SPDX-License-Identifier: GPL-3.0-or-later
#include "export/verilog_adder_tree.h"

#include <algorithm>
#include <queue>

#include "core/error.h"

namespace hgq::vlog {
namespace {

Wide magnitude(Wide v) {
    return v < 0 ? -v : v;
}

std::string decl(const std::string& name, int width) {
    return "  wire signed [" + std::to_string(width - 1) + ":0] " + name;
}

// `n` as a wire at least `min_width` bits wide, so bits [min_width - 2 : 0] can be selected.
std::string selectable(std::ostream& os, const SumNode& n, const std::string& name, int min_width) {
    if (n.named && n.width >= min_width) return n.expr;
    os << decl(name, std::max(n.width, min_width)) << " = " << n.expr << ";\n";
    return name;
}

}  // namespace

// a + b as one adder. The operand with fewer fractional bits of the pair (`low`) keeps its low
// bits unchanged: only the bits above them are added, so the carry chain is as short as the
// overlap. A subtraction always takes `low` as the minuend for the same reason; the node's sign
// flag then says which way round the difference is.
SumNode combine_nodes(std::ostream& os, const std::string& name, const SumNode& a, const SumNode& b,
                      AdderCost& cost) {
    // Equal fractional bits: the positive operand is the minuend, so the sum stays positive.
    const bool a_low = a.lsb < b.lsb || (a.lsb == b.lsb && (!a.neg || b.neg));
    const SumNode& low = a_low ? a : b;
    const SumNode& high = a_low ? b : a;
    const bool sub = a.neg != b.neg;
    const int d = high.lsb - low.lsb;
    if (d > 100) throw Error::runtime("Verilog export", "a partial sum needs over 120 bits");
    const Wide llo = low.lo >> d, lhi = low.hi >> d;  // floor: what `>>>` gives
    const Wide hlo = sub ? llo - high.hi : llo + high.lo;
    const Wide hhi = sub ? lhi - high.lo : lhi + high.hi;
    const int wh = signed_width(hlo, hhi);
    if (wh + d > 120) throw Error::runtime("Verilog export", "a partial sum needs over 120 bits");
    SumNode n{name,
              sub ? low.lo - (high.hi << d) : low.lo + (high.lo << d),
              sub ? low.hi - (high.lo << d) : low.hi + (high.hi << d),
              low.lsb,
              low.neg,
              true,
              wh + d,
              std::max(a.depth, b.depth) + 1};
    ++cost.adders;
    cost.bits += wh;
    const std::string op = sub ? " - " : " + ";
    if (d == 0) {
        os << decl(name, wh) << " = " << low.expr << op << "(" << high.expr << ");\n";
        return n;
    }
    const std::string l = selectable(os, low, name + "_l", d + 1);
    os << decl(name + "_h", wh) << " = (" << l << " >>> " << d << ")" << op << "(" << high.expr
       << ");\n"
       << decl(name, wh + d) << " = {" << name << "_h, " << l << "[" << d - 1 << ":0]};\n";
    return n;
}

int signed_width(Wide lo, Wide hi) {
    int w = 1;
    while (w < 126 && (lo < -(Wide(1) << (w - 1)) || hi > (Wide(1) << (w - 1)) - 1)) ++w;
    return w;
}

std::string signed_literal(Wide v, int W) {
    if (magnitude(v) >= (Wide(1) << 62))
        throw Error::runtime("Verilog export", "a constant needs more than 62 bits");
    // Wide enough that the magnitude is positive: `-8'sd128` would sign-extend as −128 first.
    const int bits = std::max(W, signed_width(0, magnitude(v)));
    return std::string(v < 0 ? "-" : "") + std::to_string(bits) + "'sd" +
           std::to_string(int64_t(magnitude(v)));
}

SumNode emit_adder_tree(std::ostream& os, const std::string& prefix, std::vector<SumNode> leaves,
                        AdderCost& cost, bool by_depth) {
    if (leaves.empty()) return SumNode{signed_literal(0, 1), 0, 0, 0, false, false, 1};
    const auto top = [](const SumNode& n) { return n.lsb + signed_width(n.lo, n.hi); };
    const auto later = [&](const SumNode& a, const SumNode& b) {
        if (by_depth && a.depth != b.depth) return a.depth > b.depth;
        return top(a) != top(b) ? top(a) > top(b) : a.lsb > b.lsb;
    };
    std::priority_queue<SumNode, std::vector<SumNode>, decltype(later)> queue(later,
                                                                              std::move(leaves));
    for (int k = 0; queue.size() > 1; ++k) {
        const SumNode a = queue.top();
        queue.pop();
        const SumNode b = queue.top();
        queue.pop();
        queue.push(combine_nodes(os, prefix + "_" + std::to_string(k), a, b, cost));
    }
    return queue.top();
}

}  // namespace hgq::vlog
