// SPDX-License-Identifier: GPL-3.0-or-later
// Verifying an export without vendor tools: the HLS testbench compiled with HGQ Studio's own
// ap_fixed emulation, the Verilog module built with Verilator; either replays every test vector
// and passes only if every output code matches the integer model's.
#pragma once
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "export/export_types.h"

namespace hgq {

// Reads DIR's manifest, checks its test-vector files against it, and runs the verifier of its
// format (export/formats.h). `emul_dir`: the ap_fixed emulation headers (resources/fx_emul).
VerifyResult verify_export(const std::string& dir, const std::string& emul_dir);

// The two verifiers, for the format table.
VerifyResult verify_hls_project(const std::filesystem::path& dir, const nlohmann::json& manifest,
                                const std::string& emul_dir);
VerifyResult verify_verilog_project(const std::filesystem::path& dir,
                                    const nlohmann::json& manifest, const std::string& emul_dir);

}  // namespace hgq
