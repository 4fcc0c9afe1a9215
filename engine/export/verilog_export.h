// SPDX-License-Identifier: GPL-3.0-or-later
// Verilog export (export spec §2.4, §4c): the integer model's shift-add graph as synthesizable
// Verilog-2001 — every element a wire of its exact width, every product a sign-extended constant
// shift (CSD digits, no multipliers), every quantization an explicit shift, rounding and
// wrap/saturate — with a Verilator harness that replays the test vectors as integer codes.
#pragma once
#include <string>

#include "export/hls_export.h"

namespace hgq {

struct VerilogOptions {
    std::string name = "hgq_model";
    int register_stages = 0;  // 0: combinational; n: n pipeline registers (one per layer first)
    bool overwrite = false;
    std::string part = "xcvu13p-flga2577-2-e";
};

// Codes of every row of x in each input / output element's own format.
HlsVectors element_vectors(const IntegerModel& im, const Mat& x, int threads);

HlsStats write_verilog_project(const IntegerModel& im, const std::string& dir,
                               const VerilogOptions& opt, const HlsVectors& vectors,
                               const nlohmann::json& provenance);

}  // namespace hgq
