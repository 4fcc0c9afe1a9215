// SPDX-License-Identifier: GPL-3.0-or-later
// Common-subexpression elimination for one constant matrix–vector multiplication (a dense layer
// or one conv kernel), in the spirit of da4ml (arXiv 2507.04535): every weight becomes its signed
// (CSD) digits, each output a sum of shifted inputs; two-term patterns that recur across outputs
// are computed once as named intermediates and substituted everywhere. What remains of each output
// is summed by the writers' exact-width adder trees. The graph is pure structure (which values are
// added at which relative shift); the writers instantiate it with each element's exact range, so
// an element that is constant zero (pruned, padding) simply drops out of it.
#pragma once
#include <cstdint>
#include <vector>

#include "deploy/integer_model.h"

namespace hgq::cse {

// ±value(node)·2^shift. Nodes 0..inputs−1 are the inputs, the rest are intermediates.
struct Term {
    int32_t node = 0;
    int32_t shift = 0;
    bool neg = false;
};

// An intermediate: value = a + b, where a.shift == 0 and a.neg == false (normalised).
struct Node {
    Term a, b;
};

// A value stored·2^exp, stored ∈ [lo, hi] (lo ≤ 0 ≤ hi: every value the graph sees can be 0).
struct Range {
    Wide lo = 0, hi = 0;
    int exp = 0;
};

struct Graph {
    int inputs = 0;
    std::vector<Node> nodes;                 // node id = inputs + index
    std::vector<std::vector<Term>> outputs;  // (outputs) the terms each output still sums
};

struct Options {
    bool enabled = true;  // false: no intermediates, the outputs keep their digits (--no-cse)
    // Adder levels allowed over the balanced unshared tree of the layer's longest output
    // (ceil(log2 terms)); negative: unbounded. See cse.cpp for the choice of the default.
    int max_extra_depth = 1;
    // share_layer: how many digit representations of the weights to try at most (the canonical
    // one first, then random minimal ones); the cheapest graph is kept. 1: canonical only.
    int restarts = 8;
};

// The digits of weight code `w` with `w_f` fractional bits applied to input `input`:
// Σ ±x·2^(digit − w_f). Without `rng` the canonical (non-adjacent) form; with it one of the
// forms with as few non-zero digits, drawn with the xorshift state *rng (3 = 4 − 1 or 2 + 1).
void append_digits(std::vector<Term>& out, int32_t input, int64_t w, int w_f,
                   uint64_t* rng = nullptr);

// Greedy sharing. `inputs`: (K) each input's range (the adders' widths follow from it);
// `outputs`: (N) each output's digit terms over the inputs. `lut_bits`, if given, receives the
// LUT bits (Σ carry-chain width − 1) of the graph's adders as the Verilog writer would build
// them, the measure the sharing minimises.
Graph share(const std::vector<Range>& inputs, std::vector<std::vector<Term>> outputs,
            const Options& opt, int64_t* lut_bits = nullptr);

// The graph of a dense layer, or of a conv layer's kernel (inputs = its K patch entries), from
// its weight codes. `inputs`: (K) ranges of the kernel's inputs; one that is always zero
// (lo = hi = 0: pruned) contributes no digits. `lut_bits` as for share (sharing enabled).
Graph share_layer(const IntLayer& d, const std::vector<Range>& inputs, const Options& opt,
                  int64_t* lut_bits = nullptr);

// The range of a + b for operand ranges `ra`, `rb` (the values of a.node and b.node).
Range sum_range(const Range& ra, const Term& a, const Range& rb, const Term& b);

// Bits of the smallest two's-complement integer holding every value of [lo, hi].
int signed_bits(Wide lo, Wide hi);

}  // namespace hgq::cse
