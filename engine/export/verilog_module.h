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

// Every dense and conv layer's CSE graph (empty for the others), chosen once per export with
// each element's exact range (a conv entry: the widest any position feeds it); the Verilog and
// the HLS writer both build these graphs.
std::vector<cse::Graph> layer_graphs(const IntegerModel& im, const cse::Options& opt);

// A dense or conv layer: its kernel's graph `g` instantiated at every position with that
// position's exact ranges (a graph without intermediates: today's unshared trees); a shared
// output's tree is at most `extra` levels deeper than its unshared one (see shared_tree). Returns
// its adders, their bits and the layer's depth in adder levels.
AdderCost emit_kernel_layer(std::ostream& os, size_t l, const IntLayer& d, const IntLayerPlan& plan,
                            const std::vector<Element>& in, const std::vector<Element>& out,
                            const std::vector<Wide>& bound, const cse::Graph& g, int extra);
void emit_pool_layer(std::ostream& os, size_t l, const IntLayer& d, const std::vector<Element>& in,
                     const std::vector<Element>& out);

}  // namespace hgq::vlog
