// SPDX-License-Identifier: GPL-3.0-or-later
// What `hgq train` tells the user: a header, epoch lines (human or JSON), the front table.
#pragma once
#include <chrono>
#include <map>

#include "cli_common.h"
#include "config/experiment.h"
#include "jobs/run_job.h"
#include "store/study.h"
#include "train/trainer.h"

namespace hgq::cli {

class TrainReport {
  public:
    TrainReport(const ExperimentConfig& cfg, const Splits& data, bool json, int64_t run,
                const std::string& study);
    void start();
    void epoch(const EpochMetrics& m);
    void progress(int epoch, int64_t done, int64_t total);
    void deploying();
    void done(const std::string& status, int epochs_done,
              const std::vector<store::PointRecord>& points);
    // The run's hooks, reporting here; a failed run's message goes to `error`.
    jobs::RunHooks hooks(std::string& error);
    // Runs the run (train or resume), reports it to the end, and maps its status to the exit
    // code (130 cancelled; a failure throws).
    int run(store::Study& study, const jobs::RunOptions& opt, jobs::RunInputs inputs);

  private:
    const ExperimentConfig& cfg_;
    const Splits& data_;
    bool json_;
    int64_t run_;
    std::string study_;
    ProgressLine bar_;
    std::chrono::steady_clock::time_point t0_;
    EpochMetrics last_;
};

// The fields every epoch event carries (train, sweep, cluster task); callers add their own.
nlohmann::json epoch_json(int64_t run, const EpochMetrics& m);
// A stored point as the done event and `hgq pareto --json` list it.
nlohmann::json point_json(const store::PointRecord& r);
// The one-line-per-point table of train, sweep and pareto.
// synth_luts: point id → synthesized LUTs (hgq synth); a column appears when any is given.
void print_points_table(const std::vector<store::PointRecord>& points,
                        const std::map<int64_t, int64_t>& synth_luts = {});
std::string si(double v);

}  // namespace hgq::cli
