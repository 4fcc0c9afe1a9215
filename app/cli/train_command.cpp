// SPDX-License-Identifier: GPL-3.0-or-later
// hgq train CONFIG: one run stored in the study, epoch lines, and the deployed Pareto front.
#include <cstdio>
#include <iostream>

#include "cli_common.h"
#include "commands.h"
#include "core/error.h"
#include "run_config.h"
#include "store/run_executor.h"
#include "train_report.h"

namespace hgq::cli {

int run_train(const TrainArgs& a) {
    const RunConfig rc = load_run_config(a.config, {a.data, a.labels, a.epochs, a.threads, a.seed});
    const ExperimentConfig& cfg = rc.parsed;
    const Splits splits = load_experiment_data(cfg, resources_dir());
    store::build_run_model(cfg, splits);  // a config that cannot build a model never becomes a run
    const std::string db = study_path(a.db);
    int64_t run = 0;
    {
        store::Study study(db, store::Study::Open::CreateIfMissing);
        study.mark_orphans_interrupted();
        run =
            study.create_run(0, cfg.name, rc.json, rc.file, cfg.training.seed, cfg.training.epochs);
    }
    store::ExecOptions opt;
    // Before the first line is printed: a Ctrl-C the moment a script sees it stops cleanly.
    opt.cancel = &install_interrupt_handler();
    TrainReport report(cfg, splits, a.json, run, db);
    report.start();

    opt.threads = cfg.training.threads;
    opt.resources_dir = resources_dir();
    opt.data = &splits;
    store::RunEvents ev;
    ev.on_epoch = [&](int64_t, const EpochMetrics& m) { report.epoch(m); };
    ev.on_progress = [&](int64_t, int epoch, int64_t done, int64_t total) {
        report.progress(epoch, done, total);
    };
    ev.on_deploying = [&](int64_t) { report.deploying(); };
    std::string error;
    ev.on_end = [&](int64_t, const std::string&, const std::string& e) { error = e; };
    const std::string status = store::execute_run(db, run, opt, ev);
    store::Study study(db, store::Study::Open::Existing);
    report.done(status, study.run(run).epochs_done, study.points(run));
    if (status == "failed") throw Error::runtime("run " + std::to_string(run), error);
    return status == "cancelled" ? 130 : 0;
}

}  // namespace hgq::cli
