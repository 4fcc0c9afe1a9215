// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to the Verilog writer: the fixed text around the module.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "export/verilog_graph.h"

namespace hgq::vlog {

std::string ports_header(const std::vector<Element>& in, const std::vector<Element>& out);
std::string harness(const std::string& name, int stages, size_t vectors);
std::string vivado_tcl(const std::string& name, const std::string& part);
std::string readme(const nlohmann::json& manifest);

}  // namespace hgq::vlog
