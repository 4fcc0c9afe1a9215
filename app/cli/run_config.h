// SPDX-License-Identifier: GPL-3.0-or-later
// A run's config as the study stores it: the experiment JSON with the command line's overrides
// applied, validated by the strict parser (errors name the config file and field).
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "config/experiment.h"

namespace hgq::cli {

struct RunOverrides {
    std::string data;             // a CSV/ARFF/NPY file replacing the config's data block
    std::string labels;           // with an NPY --data: its labels file
    int epochs = 0, threads = 0;  // 0: as the config says
    int64_t seed = -1;            // -1: as the config says
};

struct RunConfig {
    std::string file;     // absolute path of the config file (relative data paths resolve here)
    nlohmann::json json;  // with overrides
    ExperimentConfig parsed;
};

RunConfig load_run_config(const std::string& path, const RunOverrides& o);
// Re-parses after `json` was changed (a sweep's β or seed); errors name the file.
void reparse(RunConfig& rc);

// The study file: --db, or hgq-study.sqlite in the working directory (design §4).
std::string study_path(const std::string& db);

}  // namespace hgq::cli
