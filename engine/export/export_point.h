// SPDX-License-Identifier: GPL-3.0-or-later
// Exporting a study's point and verifying an export: what `hgq export`, `hgq verify` and the
// GUI's Export button share.
#pragma once
#include <string>

#include "export/hls_export.h"
#include "export/verilog_export.h"

namespace hgq {

struct ExportRequest {
    std::string study, out_dir, resources_dir;
    int64_t point = 0;
    std::string format = "hls";  // hls | verilog
    HlsOptions hls;              // name, part, clock, overwrite (also used for verilog)
    int register_stages = 0;     // verilog: 0 = combinational
    int64_t vectors = 0;         // test-split samples to write (0: all)
    int threads = 1;
};

struct ExportResult {
    HlsStats stats;
    int64_t vectors = 0;
    double seconds = 0;
    nlohmann::json manifest;
};

// Re-deploys the point from its stored parameters (checking that the exact EBOPs match what the
// study recorded), computes the test vectors with the integer model, writes the project and
// records the export in the study.
ExportResult export_point(const ExportRequest& r);

struct VerifyResult {
    bool passed = false;
    int exit_code = 0;
    double compile_seconds = 0, run_seconds = 0;
    std::string output;  // compiler and testbench output
};

// HLS: compiles DIR's testbench with the app's ap_fixed emulation (`emul_dir` on the include
// path only for this run). Verilog: builds the module with Verilator. Then runs it on DIR's
// vectors.
VerifyResult verify_hls(const std::string& dir, const std::string& emul_dir);

}  // namespace hgq
