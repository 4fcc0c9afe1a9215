// SPDX-License-Identifier: GPL-3.0-or-later
// hgq train CONFIG: one run stored in the study, epoch lines, and the deployed Pareto front.
#include <cstdio>
#include <iostream>
#include <optional>

#include "cli_common.h"
#include "commands.h"
#include "core/error.h"
#include "run_config.h"
#include "jobs/budget.h"
#include "jobs/run_job.h"
#include "jobs/sweep_plan.h"
#include "train_report.h"

namespace hgq::cli {

namespace {

// --target-ebops / --target-luts: the config's β replaced by the β controller. A LUT target goes
// through the study's LUT calibration (or the default fit); the output says which.
void apply_target(const TrainArgs& a, RunConfig& rc, store::Study* study) {
    if (a.target_ebops <= 0 && a.target_luts <= 0) return;
    double ebops = a.target_ebops;
    std::string how;
    if (a.target_luts > 0) {
        const jobs::LutFit fit = jobs::lut_fit(study, a.family);
        ebops = fit.ebops_for(a.target_luts);
        how = fit.describe();
    }
    jobs::set_target(rc.json, ebops, rc.parsed.training.epochs);
    reparse(rc);
    if (a.json) {
        nlohmann::json j = {{"event", "target"}, {"target_ebops", ebops}};
        if (a.target_luts > 0) j["target_luts"] = a.target_luts, j["through"] = how;
        emit_json(j);
    } else if (a.target_luts > 0) {
        std::printf("target: %.0f LUTs = %.0f EBOPs through %s (β controller, i = %.3g)\n",
                    a.target_luts, ebops, how.c_str(), rc.parsed.training.beta_controller->i);
    } else {
        std::printf("target: %.0f EBOPs (β controller, i = %.3g)\n", ebops,
                    rc.parsed.training.beta_controller->i);
    }
}

}  // namespace

int run_train(const TrainArgs& a) {
    // Parsed once, loaded once, built once, the study opened once.
    RunConfig rc = load_run_config(a.config, {a.data, a.labels, a.epochs, a.threads, a.seed});
    const std::string db = study_path(a.db);
    // A LUT target needs the study's calibration before the run is planned.
    std::optional<store::Study> early;
    if (a.target_luts > 0) early.emplace(db, store::Study::Open::CreateIfMissing);
    apply_target(a, rc, early ? &*early : nullptr);
    const ExperimentConfig& cfg = rc.parsed;
    const Splits splits = load_experiment_data(cfg, resources_dir());
    Model model = jobs::build_run_model(cfg, splits);  // a config that builds no model: no run
    store::Study study = early ? std::move(*early) : store::Study(db, store::Study::Open::CreateIfMissing);
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
