// SPDX-License-Identifier: GPL-3.0-or-later
// Running a stored run: trains (or resumes) it, streams every epoch into the study, deploys its
// Pareto front into points, and records how it ended. A pool runs several, each capped to its
// share of the cores. `hgq train`, `hgq sweep`, `hgq resume` and the app all run runs here.
#pragma once
#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "config/experiment.h"
#include "store/study.h"

namespace hgq::jobs {

// The model a run's config describes for its data; errors name the config file and field.
Model build_run_model(const ExperimentConfig& cfg, const Splits& data);

// Called from worker threads: implementations must be thread-safe.
struct RunHooks {
    std::function<void(int64_t run, const EpochMetrics&)> on_epoch;  // after its commit
    std::function<void(int64_t run, int epoch, int64_t done, int64_t total)> on_progress;
    std::function<void(int64_t run)> on_deploying;
    // After a commit that stored a resume state (on the study's writer thread, which owns the
    // run's connection while it calls this).
    std::function<void(int64_t run, int epoch)> on_resume_state;
    // status: done | cancelled | failed; error is the message of a failed run.
    std::function<void(int64_t run, const std::string& status, const std::string& error)> on_end;
};

struct RunOptions {
    int threads = 1;               // cores for one run
    std::string resources_dir;     // bundled demo data
    const Splits* data = nullptr;  // shared, already-loaded data; null: each run loads its own
    const std::atomic<bool>* cancel = nullptr;
};

// What the caller already has for one run, so nothing is parsed, loaded or built twice. Null:
// run_job makes it (from the run's stored config).
struct RunInputs {
    const ExperimentConfig* config = nullptr;
    Model* model = nullptr;  // built for this run's config and data, not trained yet
};

// Trains run `run_id` of `study` (the caller's connection) from where it stands (queued: from
// the start; interrupted/cancelled/failed: from its last resume state, refused if its data
// changed). Returns the final status. Errors of the run itself are recorded (status failed) and
// reported through on_end; errors of the study file propagate.
std::string run_job(store::Study& study, int64_t run_id, const RunOptions& opt,
                    const RunHooks& hooks, RunInputs inputs = {});

// Runs `runs` of the study at `study_path` with `parallel` workers, each with its own
// connection and max(1, cores / parallel) threads. `inputs` (optional, in the order of `runs`):
// what the caller has for each. Returns the statuses in the order of `runs`.
std::vector<std::string> run_jobs(const std::string& study_path, const std::vector<int64_t>& runs,
                                  int parallel, int cores, RunOptions opt, const RunHooks& hooks,
                                  const std::vector<RunInputs>& inputs = {});

// Throws bad input naming both fingerprints unless `data` is what `run` trained on (a run not
// started yet trained on nothing and accepts any).
void check_same_data(const std::string& study_path, const store::RunRecord& run,
                     const Splits& data);

}  // namespace hgq::jobs
