// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to the HLS writer: the fixed text of an exported project (top header, testbench, Tcl
// scripts, README), with the names filled in.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace hgq::hls {

std::string top_header(const std::string& name);
std::string testbench(const std::string& name, size_t vectors);
std::string project_tcl(const std::string& name, const std::string& part, double clock_ns);
std::string build_opt_tcl();
std::string build_prj_tcl();
std::string vivado_synth_tcl();
std::string readme(const nlohmann::json& manifest);

}  // namespace hgq::hls
