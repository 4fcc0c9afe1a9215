// SPDX-License-Identifier: GPL-3.0-or-later
// hgq: the headless HGQ Studio CLI (design §4). Exit codes: 0 ok, 1 runtime failure, 2 bad input,
// 130 cancelled.
#include <CLI/CLI.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "commands.h"
#include "core/error.h"
#include "export/formats.h"

namespace {

// CLI11 turns an out-of-range 64-bit integer into the nearest one without a word
// (--seed 99999999999999999999 became 9223372036854775807): every such option is read exactly.
const CLI::Validator kExactInteger(
    [](std::string& s) -> std::string {
        int64_t v = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        const std::string shown = s.size() > 30 ? s.substr(0, 30) + "…" : s;
        if (ec == std::errc::result_out_of_range)
            return shown + " is out of range (at most 9223372036854775807)";
        if (ec != std::errc() || end != s.data() + s.size()) return shown + " is not an integer";
        return {};
    },
    "INTEGER");

// A count of EBOPs or LUTs: a finite number above 0 (CLI11's PositiveNumber prints its whole
// double range in the message).
const CLI::Validator kPositiveAmount(
    [](std::string& s) -> std::string {
        double v = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        const std::string shown = s.size() > 30 ? s.substr(0, 30) + "…" : s;
        if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v))
            return shown + " is not a number";
        if (!(v > 0)) return shown + " must be larger than 0";
        return {};
    },
    "NUMBER > 0");

void add_train(CLI::App& app, hgq::cli::TrainArgs& a) {
    auto* c = app.add_subcommand("train", "Train one HGQ run and print its Pareto front");
    c->add_option("CONFIG", a.config, "Experiment config (JSON)")->required();
    c->add_option("--epochs", a.epochs, "Override the number of epochs")
        ->check(CLI::PositiveNumber);
    c->add_option("--threads", a.threads, "Threads for this run")->check(CLI::PositiveNumber);
    c->add_option("--seed", a.seed, "Override the training seed")
        ->check(kExactInteger)
        ->check(CLI::NonNegativeNumber);
    c->add_option("--data", a.data, "Use this CSV/ARFF/NPY file as the data set");
    c->add_option("--labels", a.labels, "With an NPY --data file: its labels (NPY, one per row)");
    c->add_option("--db", a.db, "Study file (default: hgq-study.sqlite here)");
    c->add_flag("--json", a.json, "One JSON object per line on stdout");
    auto* te = c->add_option("--target-ebops", a.target_ebops,
                             "Steer β so the training EBOPs settle on N (β controller)")
                   ->check(kPositiveAmount);
    auto* tl = c->add_option("--target-luts", a.target_luts,
                             "Steer to N LUTs (through the study's LUT calibration)")
                   ->check(kPositiveAmount)
                   ->excludes(te);
    c->add_option("--family", a.family, "With --target-luts: the calibration's synthesis family")
        ->needs(tl);
}

void add_bench(CLI::App& app, hgq::cli::BenchArgs& a) {
    auto* c = app.add_subcommand("bench", "Training throughput vs the measured GEMM peak");
    c->add_option("--model", a.model, "Reference model shape: jsc (jet tagger MLP) or fmnist-cnn");
    c->add_option("--batch", a.batches,
                  "Batch size, or a comma list for a curve (default: 1024 for jsc, 256 for "
                  "fmnist-cnn)")
        ->delimiter(',')
        ->check(CLI::PositiveNumber);
    c->add_option("--threads", a.threads, "Threads, or a comma list (default: 2)")
        ->delimiter(',')
        ->check(CLI::PositiveNumber);
    c->add_flag("--curve", a.curve,
                "The model's batch curve: jsc 256,1024,4096,33200; fmnist-cnn 128,256,1024 "
                "(threads 1 and 2 unless --threads)");
    c->add_option("--seconds", a.seconds, "How long to measure")->check(CLI::PositiveNumber);
    c->add_flag("--json", a.json, "One JSON object on stdout");
}

void add_inspect(CLI::App& app, hgq::cli::InspectArgs& a) {
    auto* c = app.add_subcommand("inspect",
                                 "Per-layer bits, types, EBOPs and float-vs-fixed diff of a point");
    c->add_option("--point", a.point, "Point id (as hgq train and hgq pareto list them)")
        ->check(kExactInteger)
        ->required();
    c->add_option("--db", a.db, "Study file (default: hgq-study.sqlite here)");
    c->add_flag("--json", a.json, "Everything, including every tensor's type, as one JSON object");
}

void add_sweep(CLI::App& app, hgq::cli::SweepArgs& a) {
    auto* c =
        app.add_subcommand("sweep", "Several runs of one config (β grid or seeds) in parallel");
    c->add_option("CONFIG", a.config, "Experiment config (JSON)")->required();
    c->add_option("--betas", a.betas, "β grid FROM:TO:COUNT (geometric)");
    c->add_option("--targets", a.targets,
                  "Instead of β: EBOPs targets FROM:TO:COUNT (geometric), one β-controlled run each");
    c->add_option("--beta-shape", a.shape,
                  "constant: β_i all run long; ramp: the config's schedule scaled to end at β_i")
        ->check(CLI::IsMember({"constant", "ramp"}));
    c->add_option("--seeds", a.seeds, "Instead of a β grid: N runs with seeds seed..seed+N-1")
        ->check(CLI::PositiveNumber);
    c->add_option("--parallel", a.parallel, "Runs at a time (each gets cores/K threads)")
        ->check(CLI::PositiveNumber);
    c->add_option("--cores", a.cores, "Cores to share (default: all)")->check(CLI::PositiveNumber);
    c->add_option("--epochs", a.epochs, "Override the number of epochs")
        ->check(CLI::PositiveNumber);
    c->add_option("--db", a.db, "Study file (default: hgq-study.sqlite here)");
    c->add_flag("--json", a.json, "One JSON object per line on stdout");
    c->add_option("--backend", a.backend, "local (this machine) or slurm (a job array)")
        ->check(CLI::IsMember({"local", "slurm"}));
    c->add_option("--partition", a.partition, "SLURM partition");
    c->add_option("--time", a.time, "SLURM time limit per task (HH:MM:SS)");
    c->add_option("--cpus-per-task", a.cpus_per_task, "CPUs (and training threads) per task")
        ->check(CLI::PositiveNumber);
    c->add_option("--mem", a.mem, "SLURM memory per task (e.g. 4G)");
    c->add_option("--max-parallel", a.max_parallel, "Tasks running at once (the array's %K)")
        ->check(CLI::NonNegativeNumber);
    c->add_option("--sbatch-arg", a.sbatch_args, "Another #SBATCH option (repeatable)")
        ->allow_extra_args(false);
    c->add_option("--scratch", a.scratch, "Node-local folder for the tasks' shards ($TMPDIR)");
    c->add_option("--hgq", a.hgq, "The hgq the nodes run (default: this one)");
    c->add_flag("--dry-run", a.dry_run, "Write the job folder, submit nothing");
}

void add_cluster(CLI::App& app, hgq::cli::ClusterArgs& a) {
    auto* c = app.add_subcommand("cluster", "Sweeps on a SLURM cluster: status, collect, cancel");
    c->require_subcommand(1);
    auto db = [&](CLI::App* s) {
        s->add_option("--db", a.db, "Study file (default: hgq-study.sqlite here)");
        s->add_flag("--json", a.json, "One JSON object per line");
    };
    auto* st = c->add_subcommand("status", "Each task's SLURM state beside its run's epochs");
    st->add_option("--sweep", a.sweep, "Only this sweep (default: every cluster sweep)")
        ->check(kExactInteger);
    db(st);
    auto* co = c->add_subcommand("collect", "Merge the tasks' published shards into the study");
    co->add_option("--sweep", a.sweep, "Only this sweep")->check(kExactInteger);
    co->add_flag("--wait", a.wait, "Until every task has ended and is collected");
    db(co);
    auto* ca = c->add_subcommand("cancel", "scancel a sweep's job array");
    ca->add_option("SWEEP", a.sweep, "Sweep id")->required()->check(kExactInteger);
    db(ca);
    auto* re = c->add_subcommand("resubmit", "Resubmit failed, cancelled or timed-out tasks");
    re->add_option("SWEEP", a.sweep, "Sweep id")->required()->check(kExactInteger);
    db(re);
    auto* t = c->add_subcommand("task", "Run one array task (what job.sbatch runs on a node)");
    t->add_option("FOLDER", a.folder, "The sweep's job folder")->required();
    t->add_option("--task", a.task, "Array index ($SLURM_ARRAY_TASK_ID)")->required();
    t->add_option("--scratch", a.scratch, "Node-local folder for the shard");
    t->add_flag("--json", a.json, "One JSON object per line");
}

void add_study_commands(CLI::App& app, hgq::cli::StudyArgs& a) {
    auto db = [&](CLI::App* c) {
        c->add_option("--db", a.db, "Study file (default: hgq-study.sqlite here)");
    };
    auto* runs = app.add_subcommand("runs", "List the study's runs and their status");
    db(runs);
    runs->add_flag("--json", a.json, "One JSON object per line");
    auto* pareto = app.add_subcommand("pareto", "The Pareto front over all runs, or one run");
    db(pareto);
    pareto->add_option("--run", a.run, "Only this run")->check(kExactInteger);
    pareto->add_flag("--all", a.all, "Every point, not only the front");
    pareto->add_flag("--json", a.json, "One JSON object per line");
    auto* be = pareto->add_option("--budget-ebops", a.budget_ebops,
                                  "Only points within N exact EBOPs, best test accuracy first")
                   ->check(kPositiveAmount);
    auto* bl = pareto->add_option("--budget-luts", a.budget_luts,
                                  "Only points within N LUTs (synthesized, else estimated)")
                   ->check(kPositiveAmount)
                   ->excludes(be);
    auto* bp = pareto->add_option("--part", a.part, "Budget: an FPGA part's LUTs (resources/parts.json)")
                   ->excludes(be)
                   ->excludes(bl);
    pareto->add_option("--fraction", a.fraction, "With --part: the share of its LUTs (default 1)")
        ->check(CLI::Range(1e-9, 1.0))
        ->needs(bp);
    pareto->add_option("--family", a.family, "The LUT calibration's synthesis family");
    auto* resume = app.add_subcommand("resume", "Continue an interrupted or cancelled run");
    resume->add_option("RUN", a.run, "Run id (hgq runs)")->required()->check(kExactInteger);
    db(resume);
    resume->add_flag("--json", a.json, "One JSON object per line");
    auto* study = app.add_subcommand("study", "Study files: points as CSV, merging studies");
    study->require_subcommand(1);
    auto* ex = study->add_subcommand("export-csv", "Write every point to a CSV file");
    ex->add_option("FILE", a.file, "CSV to write")->required();
    ex->add_flag("--force", a.force, "Replace FILE if it exists (never the study itself)");
    db(ex);
    auto* im = study->add_subcommand("import-csv", "Add points from a CSV as an imported run");
    im->add_option("FILE", a.file, "CSV with epoch, test_accuracy, ebops_exact columns")
        ->required();
    db(im);
    auto* mg = study->add_subcommand("merge", "Add every run of another study file");
    mg->add_option("OTHER", a.file, "Study to merge in")->required();
    db(mg);
}

void add_export(CLI::App& app, hgq::cli::ExportArgs& e, hgq::cli::VerifyArgs& v) {
    auto* c = app.add_subcommand("export", "Write a Vitis HLS project of a point, bit-exact");
    c->add_option("--point", e.point, "Point id (hgq pareto)")->required()->check(kExactInteger);
    c->add_option("--out", e.out, "Output folder (must be empty unless --force)")->required();
    std::vector<std::string> formats;
    std::string format_help = "Export format:";
    for (const auto& f : hgq::export_formats()) {
        formats.push_back(f.name);
        format_help += " " + f.name + " (" + f.label + ")";
    }
    c->add_option("--format", e.format, format_help)->check(CLI::IsMember(formats));
    c->add_option("--stages", e.stages, "Verilog: register stages (0: combinational)")
        ->check(CLI::NonNegativeNumber);
    c->add_option("--part", e.part, "FPGA part");
    c->add_option("--clock-ns", e.clock_ns, "Clock period in ns")->check(CLI::PositiveNumber);
    c->add_option("--name", e.name, "Top function name");
    c->add_flag("--no-cse", e.no_cse,
                "One adder tree per output: no adders shared between a layer's outputs");
    c->add_option("--cse-depth", e.cse_depth,
                  "Adder levels sharing may add per layer (default 1; -1: unbounded)")
        ->check(CLI::Range(-1, 16));
    c->add_option("--vectors", e.vectors, "Test vectors (default: the whole test split)")
        ->check(kExactInteger)
        ->check(CLI::PositiveNumber);
    c->add_flag("--force", e.force, "Overwrite a non-empty folder");
    c->add_option("--db", e.db, "Study file (default: hgq-study.sqlite here)");
    c->add_flag("--json", e.json, "One JSON object on stdout");
    auto* vc = app.add_subcommand("verify", "C-simulate an export; exit 0 iff bit-exact");
    vc->add_option("DIR", v.dir, "Folder written by hgq export")->required();
    vc->add_flag("--json", v.json, "One JSON object on stdout");
}

void add_synth(CLI::App& app, hgq::cli::SynthArgs& a) {
    auto* c = app.add_subcommand(
        "synth", "yosys synthesis (synth_xilinx -nodsp) of points: LUT/CARRY/FF stored per point");
    c->add_option("DIR", a.dir, "A folder written by hgq export --format verilog");
    c->add_option("--point", a.points, "Export and synthesize these points (repeatable)")
        ->check(kExactInteger);
    c->add_flag("--front", a.front, "Every point of the study (or of --run) not yet synthesized");
    c->add_option("--run", a.run, "With --front: this run only")->check(kExactInteger);
    c->add_flag("--again", a.again, "With --front: also points already synthesized");
    c->add_option("--out", a.out, "Folder for the exports (default: STUDY.synth/point-ID)");
    c->add_option("--family", a.family, "synth_xilinx family (xcup, xcu, xc7, ...)");
    c->add_option("--stages", a.stages, "Register stages of the exported Verilog")
        ->check(CLI::NonNegativeNumber);
    c->add_flag("--no-cse", a.no_cse,
                "Export unshared adder trees (calibrated separately from shared ones)");
    c->add_flag("--no-store", a.no_store, "With DIR: print the counts, store nothing");
    c->add_option("--db", a.db, "Study file (default: DIR's manifest, else hgq-study.sqlite)");
    c->add_flag("--json", a.json, "One JSON object per line on stdout");
}

int run_cluster(CLI::App& app, const hgq::cli::ClusterArgs& a) {
    using namespace hgq::cli;
    const auto* c = app.get_subcommand("cluster");
    if (c->got_subcommand("status")) return run_cluster_status(a);
    if (c->got_subcommand("collect")) return run_cluster_collect(a);
    if (c->got_subcommand("cancel")) return run_cluster_cancel(a);
    if (c->got_subcommand("resubmit")) return run_cluster_resubmit(a);
    return run_cluster_task(a);
}

int dispatch(CLI::App& app, const hgq::cli::TrainArgs& train, const hgq::cli::BenchArgs& bench,
             const hgq::cli::InspectArgs& inspect, const hgq::cli::SweepArgs& sweep,
             const hgq::cli::StudyArgs& study, const hgq::cli::ExportArgs& exp,
             const hgq::cli::VerifyArgs& verify) {
    using namespace hgq::cli;
    if (app.got_subcommand("export")) return run_export(exp);
    if (app.got_subcommand("verify")) return run_verify(verify);
    if (app.got_subcommand("train")) return run_train(train);
    if (app.got_subcommand("bench")) return run_bench(bench);
    if (app.got_subcommand("inspect")) return run_inspect(inspect);
    if (app.got_subcommand("sweep")) return run_sweep(sweep);
    if (app.got_subcommand("runs")) return run_runs(study);
    if (app.got_subcommand("pareto")) return run_pareto(study);
    if (app.got_subcommand("resume")) return run_resume(study);
    const auto* s = app.get_subcommand("study");
    if (s->got_subcommand("export-csv")) return run_export_csv(study);
    if (s->got_subcommand("import-csv")) return run_import_csv(study);
    return run_merge(study);
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
    hgq::cli::SweepArgs sweep;
    hgq::cli::StudyArgs study;
    add_train(app, train);
    add_bench(app, bench);
    add_inspect(app, inspect);
    add_sweep(app, sweep);
    add_study_commands(app, study);
    hgq::cli::ExportArgs exp;
    hgq::cli::VerifyArgs verify;
    add_export(app, exp, verify);
    hgq::cli::SynthArgs synth;
    add_synth(app, synth);
    hgq::cli::ClusterArgs cluster;
    add_cluster(app, cluster);
    hgq::cli::CompareArgs compare;
    hgq::cli::WhatIfArgs whatif;
    hgq::cli::add_point_tools(app, compare, whatif);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    try {
        if (app.got_subcommand("synth")) return hgq::cli::run_synth(synth);
        if (app.got_subcommand("cluster")) return run_cluster(app, cluster);
        if (app.got_subcommand("compare")) return hgq::cli::run_compare(compare);
        if (app.got_subcommand("whatif")) return hgq::cli::run_whatif(whatif);
        return dispatch(app, train, bench, inspect, sweep, study, exp, verify);
    } catch (const hgq::Error& e) {
        std::fprintf(stderr, "hgq: error: %s\n", e.what());
        return e.exit_code();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "hgq: internal error: %s\n", e.what());
        return 1;
    }
    return 0;
}
