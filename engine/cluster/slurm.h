// SPDX-License-Identifier: GPL-3.0-or-later
// Talking to SLURM through its own commands (sbatch, squeue, sacct, scancel), as a user would:
// a job-array script, submitting it, reading each array task's state, cancelling. Nothing here
// knows studies or training; engine/jobs/cluster_job drives it.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace hgq::cluster {

struct SbatchOptions {
    std::string partition;  // "" = the cluster's default
    std::string time;       // time limit, e.g. 02:00:00 or 1-00:00:00 ("" = the partition's)
    std::string mem;        // e.g. 4G ("" = the partition's default)
    int cpus_per_task = 1;
    int max_parallel = 0;            // the array's %K throttle (0: none)
    std::vector<std::string> extra;  // further #SBATCH options, each "--name[=value]"
};

// Checks every option before anything is written (bad input naming the option).
void check_options(const SbatchOptions& o);

struct ArrayJob {
    std::string name;                  // --job-name
    std::string folder;                // the job folder: logs go to FOLDER/logs/task-%a.out
    int tasks = 0;                     // array indices 0..tasks-1
    std::vector<std::string> command;  // what each task runs; "{task}" becomes its index
    SbatchOptions options;
};

// The sbatch script of the whole array: readable, and resubmittable by hand (`sbatch FILE`).
std::string array_script(const ArrayJob& job);

// Submits `script` (in `cwd`); `array` overrides the script's array ("1,3%2" for a resubmit).
// Returns the job id. No sbatch: runtime error naming the Debian package; sbatch refusing: bad
// input with its message.
std::string submit(const std::string& script, const std::string& cwd, const std::string& array);

// The state of every array task of `job` (task index → PENDING, RUNNING, COMPLETED, FAILED,
// CANCELLED, TIMEOUT, NODE_FAIL, OUT_OF_MEMORY, …): squeue first, then sacct for jobs squeue
// no longer knows. Tasks neither knows are left out.
std::map<int, std::string> task_states(const std::string& job);

// scancel of whole array jobs.
void cancel(const std::vector<std::string>& jobs);

// A state from which the task will not go on by itself.
bool ended(const std::string& state);

// The text of an array list "0,2,5" with a throttle: "0,2,5%2".
std::string array_list(const std::vector<int>& tasks, int max_parallel);

}  // namespace hgq::cluster
