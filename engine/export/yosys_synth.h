// SPDX-License-Identifier: GPL-3.0-or-later
// Open-tool synthesis of a Verilog export: yosys synth_xilinx (no DSPs: the export has no
// multipliers to give them) and its cell census, stored per point so users see what a point
// really costs next to its EBOPs estimate.
#pragma once
#include <atomic>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>


namespace hgq {

// What yosys made of one export: the cell census and the counts a user compares.
struct SynthCounts {
    std::string tool, family, top, export_dir;  // tool: "Yosys 0.23 (…)"
    std::string adder_mode = "unshared";  // the export's: "shared" adders or "unshared" (manifest)
    int64_t point_id = 0;                        // from the export's manifest
    int64_t luts = 0;   // LUT1–6 plus INV (an inverter is a LUT1 in the fabric), SRL, LUT-RAM
    int64_t carry = 0;  // CARRY4/CARRY8 cells
    int64_t ff = 0;     // FDRE/FDSE/FDCE/FDPE
    int64_t muxf = 0;   // MUXF7/8/9 (wide functions)
    int64_t cells = 0;  // every cell, I/O buffers included
    double seconds = 0;
    nlohmann::json cells_by_type = nlohmann::json::object();
};

struct SynthOptions {
    std::string family = "xcup";                       // synth_xilinx -family (xc7, xcu, xcup, …)
    const std::atomic<bool>* cancel = nullptr;         // set: yosys is stopped, Error "cancelled"
    std::function<void(const std::string&)> on_stage;  // each yosys pass as it starts
};

// A family synth_xilinx knows (xcup, xcu, xc7, …).
bool known_synth_family(const std::string& family);

// The counts in a yosys `stat -json` report of module `top`; `file` names it in messages.
SynthCounts parse_yosys_stat(const nlohmann::json& stat, const std::string& top,
                                    const std::string& file);

// Synthesizes the Verilog export in `dir`: writes dir/synth/synth.ys, runs yosys there (its
// output kept in yosys.log), parses stat.json. Stores nothing (jobs/synth_job records it).
SynthCounts synthesize_export(const std::string& dir, const SynthOptions& opt);

// The manifest of a Verilog export in `dir`; bad input for anything else (an HLS export, no
// manifest).
nlohmann::json read_verilog_manifest(const std::filesystem::path& dir);

}  // namespace hgq
