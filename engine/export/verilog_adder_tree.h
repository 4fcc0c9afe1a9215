// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to the Verilog writer: one output's sum of shifted terms as a tree of two-input
// adders, every node a wire exactly as wide as its value range (da4ml-style). One wide
// multi-operand expression would make every partial sum as wide as the accumulator, and yosys
// maps multi-operand sums to carry-less LUT trees; two-input adders of exact width map to
// carry chains and cost about one LUT per result bit.
#pragma once
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "deploy/fixed_point.h"
#include "export/export_types.h"

namespace hgq::vlog {

// A signed value `(neg ? -1 : 1) · stored · 2^lsb`, `stored` in [lo, hi].
struct SumNode {
    std::string expr;  // a wire name, a signed operand expression or a signed literal
    Wide lo = 0, hi = 0;
    int lsb = 0;
    bool neg = false;
    bool named = false;  // `expr` is a wire (part-selects allowed)
    int width = 1;       // bits of `expr` as written
    int depth = 0;       // adder levels between the layer's inputs and this value
};

// Bits of the smallest two's-complement type holding every value of [lo, hi].
int signed_width(Wide lo, Wide hi);

// A signed Verilog literal of `v` in `W` bits.
std::string signed_literal(Wide v, int W);

// a + b as one two-input adder written as wire `name` (and helpers `name`_h, `name`_l); `cost`
// counts it (its carry chain is the part above the low operand's pass-through bits).
SumNode combine_nodes(std::ostream& os, const std::string& name, const SumNode& a, const SumNode& b,
                      AdderCost& cost);

// Adds the leaves pairwise, writing one wire per node named `<prefix>_<k>`; returns the root.
// By default smallest top bit first, so narrow terms meet narrow terms. by_depth (shared leaves
// come at different depths): the shallowest pair first, then the narrowest, which gives the least
// depth ceil(log2 Σ 2^depth) the CSE's depth bound counts on.
SumNode emit_adder_tree(std::ostream& os, const std::string& prefix, std::vector<SumNode> leaves,
                        AdderCost& cost, bool by_depth = false);

}  // namespace hgq::vlog
