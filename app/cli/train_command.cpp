// SPDX-License-Identifier: GPL-3.0-or-later
// hgq train CONFIG: one run, epoch lines, and the deployed Pareto front at the end.
#include <cstdio>
#include <iostream>

#include "cli_common.h"
#include "commands.h"
#include "config/experiment.h"
#include "core/error.h"
#include "train/points.h"
#include "train_report.h"

namespace hgq::cli {
namespace {

void apply_overrides(const TrainArgs& a, ExperimentConfig& cfg) {
    if (a.epochs > 0) cfg.training.epochs = a.epochs;
    if (a.threads > 0) cfg.training.threads = a.threads;
    if (a.seed >= 0) cfg.training.seed = uint64_t(a.seed);
    if (a.data.empty()) return;
    const std::string fmt = format_from_extension(a.data);
    if (fmt.empty())
        throw Error::bad_input(a.data, "cannot tell the format from the file name",
                               "use a .csv, .csv.gz, .arff, .arff.gz or .npy file");
    cfg.data.source = fmt;
    cfg.data.path = a.data;
}

// The model the config describes for this data; its errors name the config file.
Model build_model(const ExperimentConfig& cfg, const Splits& s) {
    try {
        return Model(cfg.model, s.train.sample_shape, s.train.n_classes, cfg.training.seed);
    } catch (const Error& e) {
        throw Error(e.kind(), cfg.file + ": field '" + e.where() + "'", e.message(), e.hint());
    }
}

}  // namespace

int run_train(const TrainArgs& a) {
    ExperimentConfig cfg = load_experiment(a.config);
    apply_overrides(a, cfg);
    const Splits splits = load_experiment_data(cfg, resources_dir());
    Model model = build_model(cfg, splits);
    TrainReport report(cfg, splits, a.json);
    report.start();

    const std::atomic<bool>& cancel = install_interrupt_handler();
    TrainCallbacks cb;
    cb.on_epoch = [&](const EpochMetrics& m) { report.epoch(m); };
    cb.on_progress = [&](int epoch, int64_t done, int64_t total) {
        report.progress(epoch, done, total);
    };
    Trainer trainer(model, splits, cfg.training, cb, &cancel);
    const TrainResult result = trainer.run();
    DeployOptions deploy_opt;
    deploy_opt.threads = cfg.training.threads;
    const auto points = evaluate_front(model, result.pareto.front(), splits, deploy_opt);
    report.done(result, points);
    if (!a.out.empty()) write_file_atomic(a.out, report.to_json(result, points).dump(1) + "\n");
    return result.cancelled ? 130 : 0;
}

}  // namespace hgq::cli
