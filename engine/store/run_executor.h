// SPDX-License-Identifier: GPL-3.0-or-later
// Runs stored runs: trains (or resumes) a run of a study, streaming every epoch into the study,
// deploys its Pareto front into points, and records how it ended. The sweep runner executes
// several in a pool of worker threads, each run capped to its share of the cores.
#pragma once
#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "config/experiment.h"
#include "store/study.h"

namespace hgq::store {

// The model a run's config describes for its data; errors name the config file and field.
Model build_run_model(const ExperimentConfig& cfg, const Splits& data);

// Called from worker threads: implementations must be thread-safe.
struct RunEvents {
    std::function<void(int64_t run, const EpochMetrics&)> on_epoch;
    std::function<void(int64_t run, int epoch, int64_t done, int64_t total)> on_progress;
    std::function<void(int64_t run)> on_deploying;
    // status: done | cancelled | failed; error is the message of a failed run.
    std::function<void(int64_t run, const std::string& status, const std::string& error)> on_end;
};

struct ExecOptions {
    int threads = 1;               // cores for this run
    std::string resources_dir;     // bundled demo data
    const Splits* data = nullptr;  // shared, already-loaded data; null: load the run's own
    const std::atomic<bool>* cancel = nullptr;
};

// Throws bad input naming both fingerprints unless `data` is what `run` trained on (a run not
// started yet trained on nothing and accepts any).
void check_same_data(const std::string& study_path, const RunRecord& run, const Splits& data);

// Trains run `run_id` of the study at `study_path` from where it stands (queued: from scratch;
// interrupted/cancelled: from its last resume checkpoint). Opens its own connection. Returns
// the final status. Errors in the run itself are recorded in the study (status failed) and
// reported through on_end; errors of the study file propagate.
std::string execute_run(const std::string& study_path, int64_t run_id, const ExecOptions& opt,
                        const RunEvents& events);

// Executes `runs` with `parallel` workers; each gets max(1, cores / parallel) threads.
// Returns the statuses in the order of `runs`.
std::vector<std::string> execute_runs(const std::string& study_path,
                                      const std::vector<int64_t>& runs, int parallel, int cores,
                                      ExecOptions opt, const RunEvents& events);

}  // namespace hgq::store
