// SPDX-License-Identifier: GPL-3.0-or-later
// The hgq subcommands (design §4). Each returns the process exit code; hgq::Error escapes to
// main, which prints it and maps its kind to 2 (bad input) or 1 (runtime failure).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace hgq::cli {

struct TrainArgs {
    std::string config, data, labels, db;
    int epochs = 0, threads = 0;  // 0: as the config says
    int64_t seed = -1;            // -1: as the config says
    bool json = false;
    double target_ebops = 0, target_luts = 0;  // 0: the config's β
    std::string family;                        // of the LUT calibration for --target-luts
};
int run_train(const TrainArgs& a);

struct BenchArgs {
    std::string model = "jsc";
    std::vector<int> batches;  // empty: the model's reference batch (jsc 1024, fmnist-cnn 256)
    std::vector<int> threads;  // empty: 2 (with --curve: 1 and 2)
    bool curve = false;        // the model's standard batch curve
    double seconds = 3;
    bool json = false;
};
int run_bench(BenchArgs a);

struct InspectArgs {
    std::string db;
    int64_t point = 0;
    bool json = false;
};
int run_inspect(const InspectArgs& a);

struct SweepArgs {
    std::string config, db, betas, targets, shape = "constant";
    int seeds = 0, parallel = 1, epochs = 0, cores = 0;
    bool json = false;
    // --backend slurm: a job array on a SLURM cluster
    std::string backend = "local", partition, time, mem, scratch, hgq;
    int cpus_per_task = 1, max_parallel = 0;
    std::vector<std::string> sbatch_args;
    bool dry_run = false;
};
int run_sweep(const SweepArgs& a);

struct ClusterArgs {  // hgq cluster status | collect | cancel | resubmit | task
    std::string db, folder, scratch;
    int64_t sweep = -1;
    int task = -1;
    bool wait = false, json = false;
};
int run_cluster_status(const ClusterArgs& a);
int run_cluster_collect(const ClusterArgs& a);
int run_cluster_cancel(const ClusterArgs& a);
int run_cluster_resubmit(const ClusterArgs& a);
int run_cluster_task(const ClusterArgs& a);

struct StudyArgs {  // runs, pareto, resume, and the study maintenance commands
    std::string db, file;
    int64_t run = -1;
    bool json = false, all = false, force = false;
    // hgq pareto budgets: exactly one of these, or none
    double budget_ebops = 0, budget_luts = 0, fraction = 1.0;
    std::string part, family;
};
int run_runs(const StudyArgs& a);
int run_pareto(const StudyArgs& a);
bool has_budget(const StudyArgs& a);
int run_pareto_budget(const StudyArgs& a);
int run_resume(const StudyArgs& a);
int run_export_csv(const StudyArgs& a);
int run_import_csv(const StudyArgs& a);
int run_merge(const StudyArgs& a);

struct ExportArgs {
    std::string db, out, format = "hls", part = "xcvu13p-flga2577-2-e", name = "hgq_model";
    int64_t point = 0, vectors = 0;
    int stages = 0;     // verilog register stages
    int cse_depth = 1;  // ExportOptions::max_extra_depth
    double clock_ns = 5.0;
    bool force = false, json = false, no_cse = false;
};
int run_export(const ExportArgs& a);

struct VerifyArgs {
    std::string dir;
    bool json = false;
};
int run_verify(const VerifyArgs& a);

struct SynthArgs {
    std::string dir, db, out, family = "xcup";
    std::vector<int64_t> points;
    int64_t run = -1;  // --front: of this run only
    int stages = 0;
    bool front = false, again = false, no_store = false, json = false, no_cse = false;
};
int run_synth(const SynthArgs& a);

struct CompareArgs {  // hgq compare A B
    std::string db;
    int64_t a = 0, b = 0;
    int threads = 0;  // 0: every core
    bool json = false;
};
int run_compare(const CompareArgs& a);

struct WhatIfArgs {  // hgq whatif --point P EDIT...
    std::string db;
    int64_t point = 0;
    int threads = 0;  // 0: every core
    // The edits in command-line order: (option, argument), e.g. ("--max-bits", "dense1.weights=2").
    std::vector<std::pair<std::string, std::string>> edits;
    bool save = false, json = false;
};
int run_whatif(const WhatIfArgs& a);

// Registers `compare` and `whatif` on the command line.
void add_point_tools(CLI::App& app, CompareArgs& c, WhatIfArgs& w);

}  // namespace hgq::cli
