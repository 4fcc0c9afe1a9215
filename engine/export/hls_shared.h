// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to the HLS writer: a dense layer's (or conv kernel's) shared adder graph (export/cse.h)
// as C++ — every intermediate a named constant `n<i>` of its exact ap_fixed type, each output the
// sum of its remaining terms. Every shift is written so that no step drops a bit: left shifts
// happen in a type widened by the shift, right shifts in a type with that many more fractional
// bits, and only then is the value converted (to the intermediate's exact type, or to the
// accumulator, whose wrap-around is harmless because the final sum fits it).
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "export/cse.h"
#include "export/hls_types.h"

namespace hgq::hls {

// A value as a signed ap_fixed<W, I> (an unsigned input counts one bit more).
struct Operand {
    std::string expr;
    int W = 1, I = 1;
};

// Writes the intermediates (reading x[k]); returns every node's operand (inputs + intermediates).
std::vector<Operand> emit_intermediates(std::ostream& os, const cse::Graph& g, const Container& c);

// `a = bias; a += / -= term...` for output j; returns its adders (terms + bias − 1).
int64_t emit_shared_sum(std::ostream& os, const IntLayer& d, int j, const std::string& acc_t,
                        const cse::Graph& g, const std::vector<Operand>& vals);

}  // namespace hgq::hls
