// SPDX-License-Identifier: GPL-3.0-or-later
// hgq: the headless HGQ Studio CLI (design §4). Exit codes: 0 ok, 1 runtime failure, 2 bad input,
// 130 cancelled.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "commands.h"
#include "core/error.h"

namespace {

void add_train(CLI::App& app, hgq::cli::TrainArgs& a) {
    auto* c = app.add_subcommand("train", "Train one HGQ run and print its Pareto front");
    c->add_option("CONFIG", a.config, "Experiment config (JSON)")->required();
    c->add_option("--epochs", a.epochs, "Override the number of epochs")
        ->check(CLI::PositiveNumber);
    c->add_option("--threads", a.threads, "Threads for this run")->check(CLI::PositiveNumber);
    c->add_option("--seed", a.seed, "Override the training seed")->check(CLI::NonNegativeNumber);
    c->add_option("--data", a.data, "Use this CSV/ARFF/NPY file as the data set");
    c->add_option("--out", a.out, "Write the run (epochs, front, snapshots) to this JSON file");
    c->add_flag("--json", a.json, "One JSON object per line on stdout");
}

void add_bench(CLI::App& app, hgq::cli::BenchArgs& a) {
    auto* c = app.add_subcommand("bench", "Training throughput vs the measured GEMM peak");
    c->add_option("--model", a.model, "Reference model shape: jsc (jet tagger MLP) or fmnist-cnn");
    c->add_option("--batch", a.batch, "Batch size (default: 1024 for jsc, 256 for fmnist-cnn)")
        ->check(CLI::PositiveNumber);
    c->add_option("--threads", a.threads, "Threads")->check(CLI::PositiveNumber);
    c->add_option("--seconds", a.seconds, "How long to measure")->check(CLI::PositiveNumber);
    c->add_flag("--json", a.json, "One JSON object on stdout");
}

void add_inspect(CLI::App& app, hgq::cli::InspectArgs& a) {
    auto* c = app.add_subcommand("inspect",
                                 "Per-layer bits, types, EBOPs and float-vs-fixed diff of a point");
    c->add_option("--point", a.point, "Point id (as hgq train lists them)")->required();
    c->add_option("--run", a.run, "Run file written by hgq train --out")->required();
    c->add_flag("--json", a.json, "Everything, including every tensor's type, as one JSON object");
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{
        "hgq — HGQ Studio command line: train, sweep and export High Granularity "
        "Quantization models for FPGAs"};
    app.set_version_flag("--version", std::string("hgq ") + HGQ_VERSION);
    app.require_subcommand(1);
    hgq::cli::TrainArgs train;
    hgq::cli::BenchArgs bench;
    hgq::cli::InspectArgs inspect;
    add_train(app, train);
    add_bench(app, bench);
    add_inspect(app, inspect);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    try {
        if (app.got_subcommand("train")) return hgq::cli::run_train(train);
        if (app.got_subcommand("bench")) return hgq::cli::run_bench(bench);
        if (app.got_subcommand("inspect")) return hgq::cli::run_inspect(inspect);
    } catch (const hgq::Error& e) {
        std::fprintf(stderr, "hgq: error: %s\n", e.what());
        return e.exit_code();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "hgq: internal error: %s\n", e.what());
        return 1;
    }
    return 0;
}
