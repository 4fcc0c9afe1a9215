// SPDX-License-Identifier: GPL-3.0-or-later
// Open-tool synthesis of a Verilog export: yosys synth_xilinx (no DSPs: the export has no
// multipliers to give them) and its cell census, stored per point so users see what a point
// really costs next to its EBOPs estimate.
#pragma once
#include <atomic>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "store/study.h"

namespace hgq {

struct SynthOptions {
    std::string family = "xcup";                       // synth_xilinx -family (xc7, xcu, xcup, …)
    const std::atomic<bool>* cancel = nullptr;         // set: yosys is stopped, Error "cancelled"
    std::function<void(const std::string&)> on_stage;  // each yosys pass as it starts
};

// The counts in a yosys `stat -json` report of module `top`; `file` names it in messages.
store::SynthRecord parse_yosys_stat(const nlohmann::json& stat, const std::string& top,
                                    const std::string& file);

// Synthesizes the Verilog export in `dir`: writes dir/synth/synth.ys, runs yosys there (its
// output kept in yosys.log), parses stat.json. Fills the record but stores nothing.
store::SynthRecord synthesize_export(const std::string& dir, const SynthOptions& opt);

struct SynthPointRequest {
    std::string study, out_dir, resources_dir;
    int64_t point = 0;
    int register_stages = 0;
    bool overwrite = false;
    int threads = 1;
    SynthOptions synth;
};

// Exports the point as Verilog into out_dir, synthesizes it and records the counts.
store::SynthRecord synthesize_point(const SynthPointRequest& r);

// Records a synthesized export in the study named by its manifest (or `study` when given);
// returns the study's path.
std::string record_export_synthesis(const std::string& dir, const std::string& study,
                                    store::SynthRecord& r);

}  // namespace hgq
