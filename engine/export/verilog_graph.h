// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to the Verilog writer: every element of every tensor as an exact integer wire.
#pragma once
#include <string>
#include <vector>

#include "deploy/integer_model.h"

namespace hgq::vlog {

struct Element {
    int W = 0;  // bits (0: constant zero)
    bool is_signed = false;
    int f = 0;  // fractional bits of its code
};

// elements[t][e]: tensor t (0 = input, l + 1 = output of layer l).
std::vector<std::vector<Element>> elements(const IntegerModel& im);

// The element as a signed operand: itself if signed, zero-extended by one bit otherwise.
std::string operand(const std::string& wire, const Element& e);

}  // namespace hgq::vlog
