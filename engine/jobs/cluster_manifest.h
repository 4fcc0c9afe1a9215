// SPDX-License-Identifier: GPL-3.0-or-later
// A cluster sweep's job folder: tasks.json (what every array task runs), config.json (the config
// as submitted), job.sbatch, logs/ and shards/. The manifest is the tasks' only input, so the
// folder stands alone: resubmittable by hand with `sbatch job.sbatch`.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cluster/slurm.h"

namespace hgq::jobs {

struct ClusterTask {
    int task = 0;
    int64_t run = 0;  // the run in the main study
    std::string name;
    nlohmann::json config;
    uint64_t seed = 0;
    int epochs = 0;
};

struct ClusterManifest {
    std::string study, folder, config_file, hgq, scratch;
    int64_t sweep = 0;
    int threads = 1;
    cluster::SbatchOptions sbatch;
    std::vector<ClusterTask> tasks;
};

// Writes the folder (shards/, logs/, tasks.json, config.json, job.sbatch).
void write_job_folder(const ClusterManifest& m, const nlohmann::json& base_config);
// FOLDER/tasks.json, or bad input naming it.
ClusterManifest read_manifest(const std::string& folder);
// FOLDER/shards/task-I.sqlite: where task I publishes its snapshots.
std::string shard_path(const std::string& folder, int task);

}  // namespace hgq::jobs
