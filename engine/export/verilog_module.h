// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to the Verilog writer: one layer's logic. Layer l reads wires t<l>_<e> and drives
// c<l+1>_<e>; the module then registers or passes them on as t<l+1>_<e>.
#pragma once
#include <ostream>

#include "deploy/integer_plan.h"
#include "export/cse.h"
#include "export/export_types.h"
#include "export/verilog_graph.h"

namespace hgq::vlog {

// A dense or conv layer: the CSE graph of its kernel (shared or not, `opt`) instantiated at
// every position with that position's exact ranges. Returns its adders, their bits and the
// layer's depth in adder levels.
AdderCost emit_kernel_layer(std::ostream& os, size_t l, const IntLayer& d,
                            const IntLayerPlan& plan, const std::vector<Element>& in,
                            const std::vector<Element>& out, const std::vector<Wide>& bound,
                            const cse::Options& opt);
void emit_pool_layer(std::ostream& os, size_t l, const IntLayer& d, const std::vector<Element>& in,
                     const std::vector<Element>& out);

}  // namespace hgq::vlog
