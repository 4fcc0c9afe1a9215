// SPDX-License-Identifier: GPL-3.0-or-later
// Sweeps on a SLURM cluster. Submitting records the sweep and its runs (queued) in the study and
// writes a job folder STUDY.shards/sweep-S/ — the config as submitted (config.json), the task
// manifest (tasks.json), the array script (job.sbatch), logs/ and shards/ — then submits one job
// array. Each task trains its run into its own shard study on node-local scratch and publishes a
// consistent snapshot (backup API, then an atomic rename) into shards/ at every resume state
// and at the end: SQLite is never written over a shared file system, and no reader sees half a
// file. Collecting merges every new snapshot into the study (a task's rows replaced, never
// duplicated) and turns runs whose task SLURM stopped (time limit, scancel, node failure) into
// `interrupted`, ready to resubmit; a resubmitted task resumes from its last snapshot.
#pragma once
#include <atomic>
#include <string>
#include <vector>

#include "cluster/slurm.h"
#include "jobs/run_job.h"
#include "jobs/sweep_plan.h"
#include "store/study.h"

namespace hgq::jobs {

struct ClusterOptions {
    cluster::SbatchOptions sbatch;
    std::string hgq;       // the hgq every task runs (absolute); "" = this very binary
    std::string scratch;   // node-local folder for shards; "" = the node's $TMPDIR, else /tmp
    bool dry_run = false;  // write everything, submit nothing
};

struct Submitted {
    int64_t sweep = 0;
    std::string job_id;  // "" for a dry run
    std::vector<int> tasks;
    std::string folder;
};

// Records and submits `plan` (its base config, as submitted, is `base`).
Submitted submit_sweep(store::Study& study, const SweepPlan& plan, const nlohmann::json& base,
                       const ClusterOptions& opt);

// On a node: runs task `task` of the job folder (what job.sbatch executes). Returns the run's
// status. `cancel` (SIGTERM from SLURM) stops it after the current batch, as Ctrl-C does.
std::string run_cluster_task(const std::string& folder, int task, const std::string& scratch,
                             const std::string& resources_dir, const std::atomic<bool>* cancel,
                             const RunHooks& hooks = {});

struct TaskStatus {
    store::ClusterTaskRecord task;
    store::RunRecord run;
};

struct CollectResult {
    int merged = 0, unchanged = 0, skipped = 0;
    std::vector<std::string> warnings;  // shards skipped, naming the file and why
    bool all_ended = false;             // every task ended and its last snapshot merged
    std::vector<TaskStatus> tasks;
};

// The cluster sweeps of the study (newest last).
std::vector<int64_t> cluster_sweeps(store::Study& study);

// Asks SLURM for each task's state (recorded in the study; runs of tasks it stopped become
// interrupted), without merging anything.
std::vector<TaskStatus> cluster_status(store::Study& study, int64_t sweep);

// Asks SLURM for each task's state (recorded in the study) and merges every new snapshot.
CollectResult collect(store::Study& study, int64_t sweep);

// scancel of the sweep's array jobs; the runs become interrupted once collected.
void cancel_sweep(store::Study& study, int64_t sweep);

// Submits again every task whose run is not done and whose SLURM task ended (failed,
// cancelled, timed out, node failure) or was never submitted.
Submitted resubmit(store::Study& study, int64_t sweep);

}  // namespace hgq::jobs
