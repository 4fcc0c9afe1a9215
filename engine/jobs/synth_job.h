// SPDX-License-Identifier: GPL-3.0-or-later
// Synthesizing a study's point with yosys: exported as Verilog (jobs/export_job), synthesized
// (export/yosys_synth) and its counts recorded with the point — or the counts of an export
// folder recorded in the study its manifest names.
#pragma once
#include <string>

#include "export/yosys_synth.h"
#include "store/study.h"

namespace hgq::jobs {

struct SynthRequest {
    int64_t point = 0;
    std::string out_dir, resources_dir;
    int register_stages = 0;
    bool share_adders = true;  // ExportOptions::share_adders (hgq synth --no-cse)
    bool overwrite = false;
    int threads = 1;
    SynthOptions synth;
};

// Exports the point as Verilog into out_dir, synthesizes it and records the counts.
store::SynthRecord synth_job(store::Study& study, const SynthRequest& r);

// The counts as a study row (point figures not filled in).
store::SynthRecord to_record(const SynthCounts& counts);

// Records the counts of an export's synthesis with its point in `study` (the point named by
// the export's manifest; it must be in that study).
store::SynthRecord record_synthesis(store::Study& study, const SynthCounts& counts);

// The study an export folder's manifest names, or `fallback` when given.
std::string study_of_export(const std::string& dir, const std::string& fallback);

}  // namespace hgq::jobs
