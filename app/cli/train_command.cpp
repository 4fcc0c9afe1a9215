// SPDX-License-Identifier: GPL-3.0-or-later
// hgq train CONFIG: one run stored in the study, epoch lines, and the deployed Pareto front.
#include <cstdio>
#include <iostream>

#include "cli_common.h"
#include "commands.h"
#include "core/error.h"
#include "run_config.h"
#include "jobs/run_job.h"
#include "jobs/sweep_plan.h"
#include "train_report.h"

namespace hgq::cli {

int run_train(const TrainArgs& a) {
    // Parsed once, loaded once, built once, the study opened once.
    const RunConfig rc = load_run_config(a.config, {a.data, a.labels, a.epochs, a.threads, a.seed});
    const ExperimentConfig& cfg = rc.parsed;
    const Splits splits = load_experiment_data(cfg, resources_dir());
    Model model = jobs::build_run_model(cfg, splits);  // a config that builds no model: no run
    const std::string db = study_path(a.db);
    store::Study study(db, store::Study::Open::CreateIfMissing);
    const int64_t run = jobs::create_runs(study, jobs::plan_single(rc.json, cfg, rc.file)).runs[0];
    jobs::RunOptions opt;
    // Before the first line is printed: a Ctrl-C the moment a script sees it stops cleanly.
    opt.cancel = &install_interrupt_handler();
    opt.threads = cfg.training.threads;
    opt.resources_dir = resources_dir();
    opt.data = &splits;
    TrainReport report(cfg, splits, a.json, run, db);
    return report.run(study, opt, {&cfg, &model});
}

}  // namespace hgq::cli
