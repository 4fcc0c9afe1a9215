// SPDX-License-Identifier: GPL-3.0-or-later
// Verilog export (export spec §2.4, §4c): the integer model's shift-add graph as synthesizable
// Verilog-2001 — every element a wire of its exact width, every product a sign-extended constant
// shift (CSD digits, no multipliers), every quantization an explicit shift, rounding and
// wrap/saturate — with a Verilator harness that replays the test vectors as integer codes.
#pragma once
#include <string>

#include "export/cse.h"
#include "export/hls_export.h"

namespace hgq {

inline constexpr const char* kVerilogManifestFormat = "hgq-verilog-export/1";

// Codes of every row of x in each input / output element's own format.
TestVectors element_vectors(const IntegerModel& im, const Mat& x, int threads);

// Every layer's shared graph (export/cse.h) with the options' depth bound: one choice per export,
// which the Verilog module and the HLS project both build.
std::vector<cse::Graph> shared_graphs(const IntegerModel& im, const ExportOptions& opt);

// The model's fully unrolled shift-add graph (as the Verilog module builds it) with the `shared`
// graphs and without: fills st.with_sharing, st.without_sharing and st.shared.
void measure_adders(const IntegerModel& im, const ExportOptions& opt,
                    const std::vector<cse::Graph>& shared, ExportStats& st);

// The manifest's "shared_adders" and "adder_graph" {shared, unshared: adders, adder_bits, depth}.
void add_adder_report(nlohmann::json& m, const ExportStats& st);

ExportStats write_verilog_project(const IntegerModel& im, const std::string& dir,
                               const ExportOptions& opt, const TestVectors& vectors,
                               const nlohmann::json& provenance);

}  // namespace hgq
