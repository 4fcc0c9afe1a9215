// SPDX-License-Identifier: GPL-3.0-or-later
// hgq sweep CONFIG --betas FROM:TO:COUNT | --seeds N [--parallel K]: several runs of one config
// in a pool of worker threads, all streaming into one study — or, with --backend slurm, one
// SLURM job array whose tasks publish shards that hgq cluster collect merges.
#include <cstdio>
#include <mutex>
#include <thread>

#include "cli_common.h"
#include "commands.h"
#include "core/error.h"
#include "jobs/cluster_job.h"
#include "jobs/run_job.h"
#include "jobs/sweep_plan.h"
#include "run_config.h"
#include "train_report.h"

namespace hgq::cli {
namespace {

// --backend slurm: the runs recorded as queued, the job folder written, one array submitted.
int submit_to_slurm(const SweepArgs& a, const RunConfig& base, const jobs::SweepPlan& plan) {
    jobs::ClusterOptions opt;
    opt.sbatch = {a.partition, a.time, a.mem, a.cpus_per_task, a.max_parallel, a.sbatch_args};
    opt.hgq = a.hgq;
    opt.scratch = a.scratch;
    opt.dry_run = a.dry_run;
    store::Study study(study_path(a.db), store::Study::Open::CreateIfMissing);
    const jobs::Submitted s = jobs::submit_sweep(study, plan, base.json, opt);
    if (a.json) {
        emit_json({{"event", a.dry_run ? "written" : "submitted"},
                   {"sweep", s.sweep},
                   {"job_id", s.job_id},
                   {"tasks", s.tasks.size()},
                   {"folder", s.folder}});
        return 0;
    }
    if (a.dry_run)
        std::printf(
            "sweep %lld: %zu tasks written to %s (not submitted: sbatch job.sbatch there)\n",
            (long long)s.sweep, s.tasks.size(), s.folder.c_str());
    else
        std::printf("sweep %lld: %zu tasks submitted to SLURM as job %s (folder %s)\n",
                    (long long)s.sweep, s.tasks.size(), s.job_id.c_str(), s.folder.c_str());
    std::printf(
        "follow it:  hgq cluster status --sweep %lld --db %s\n"
        "collect it: hgq cluster collect --sweep %lld --wait --db %s\n",
        (long long)s.sweep, study.path().c_str(), (long long)s.sweep, study.path().c_str());
    return 0;
}

}  // namespace

int run_sweep(const SweepArgs& a) {
    if (!a.betas.empty() + !a.targets.empty() + (a.seeds != 0) != 1)
        throw Error::bad_input(
            "hgq sweep",
            "give exactly one of --betas FROM:TO:COUNT, --targets FROM:TO:COUNT or --seeds N");
    const std::atomic<bool>& cancel = install_interrupt_handler();  // before any output
    const RunConfig base = load_run_config(a.config, {"", "", a.epochs, 0, -1});
    jobs::SweepPlan plan =
        !a.targets.empty()
            ? jobs::plan_targets(base.json, base.file, jobs::parse_target_grid(a.targets))
        : a.betas.empty()
            ? jobs::plan_seeds(base.json, base.file, a.seeds)
            : jobs::plan_betas(base.json, base.file, jobs::parse_beta_grid(a.betas),
                               a.shape == "ramp" ? jobs::BetaShape::Ramp
                                                 : jobs::BetaShape::Constant);
    if (a.backend == "slurm") return submit_to_slurm(a, base, plan);
    const int cores =
        a.cores > 0 ? a.cores : int(std::max(1u, std::thread::hardware_concurrency()));
    plan.spec = {{"config", base.file}, {"betas", a.betas},       {"shape", a.shape},
                 {"seeds", a.seeds},    {"parallel", a.parallel}, {"cores", cores}};
    if (!a.targets.empty()) plan.spec["targets"] = a.targets;
    const Splits data = load_experiment_data(base.parsed, resources_dir());
    // Config errors before any run is stored; the model goes on to the first run.
    Model first_model = jobs::build_run_model(plan.runs.front().parsed, data);
    const std::string db = study_path(a.db);
    store::Study study(db, store::Study::Open::CreateIfMissing);
    const jobs::CreatedRuns created = jobs::create_runs(study, plan);
    const int64_t sweep = created.sweep;
    const std::vector<int64_t>& runs = created.runs;
    std::mutex out;
    if (a.json)
        emit_json({{"event", "start"},
                   {"sweep", sweep},
                   {"study", db},
                   {"runs", runs},
                   {"parallel", a.parallel},
                   {"train", data.train.size()}});
    else
        std::printf(
            "sweep %lld in %s: %zu runs, %d in parallel on %d cores. Ctrl-C stops after "
            "the current batch.\n",
            (long long)sweep, db.c_str(), runs.size(), a.parallel, cores);
    std::fflush(stdout);
    jobs::RunHooks ev;
    const int every = std::max(1, base.parsed.training.epochs / 10);
    ev.on_epoch = [&](int64_t run, const EpochMetrics& m) {
        std::lock_guard<std::mutex> lock(out);
        if (a.json) {
            nlohmann::json j = epoch_json(run, m);
            j["kept"] = m.kept;
            emit_json(j);
        } else if (m.epoch % every == 0 || m.epoch == 1) {
            std::printf("run %4lld  epoch %5d  val %.2f%%  EBOPs %9s  beta %.2e  %s samples/s\n",
                        (long long)run, m.epoch, 100 * m.val_accuracy, si(m.ebops).c_str(), m.beta,
                        si(m.samples_per_second).c_str());
        }
        std::fflush(stdout);
    };
    ev.on_end = [&](int64_t run, const std::string& status, const std::string& error) {
        std::lock_guard<std::mutex> lock(out);
        if (a.json)
            emit_json({{"event", "run_end"}, {"run", run}, {"status", status}, {"error", error}});
        else
            std::printf("run %4lld  %s%s%s\n", (long long)run, status.c_str(),
                        error.empty() ? "" : ": ", error.c_str());
        std::fflush(stdout);
    };
    jobs::RunOptions opt;
    opt.resources_dir = resources_dir();
    opt.data = &data;
    opt.cancel = &cancel;
    std::vector<jobs::RunInputs> inputs;
    for (const auto& r : plan.runs) inputs.push_back({&r.parsed, nullptr});
    inputs.front().model = &first_model;
    const auto statuses = jobs::run_jobs(db, runs, a.parallel, cores, opt, ev, inputs);
    std::vector<store::PointRecord> points;
    for (int64_t r : runs)
        for (auto& p : study.points(r)) points.push_back(std::move(p));
    bool cancelled = false, failed = false;
    for (const auto& s : statuses) {
        cancelled = cancelled || s == "cancelled" || s == "queued";
        failed = failed || s == "failed";
    }
    if (a.json) {
        nlohmann::json pts = nlohmann::json::array();
        for (const auto& p : points) pts.push_back(point_json(p));
        emit_json({{"event", "done"},
                   {"sweep", sweep},
                   {"statuses", statuses},
                   {"cancelled", cancelled},
                   {"points", pts}});
    } else {
        std::printf(
            "\nsweep %lld: %zu points from %zu runs (all fronts; hgq pareto for the "
            "study's front)\n",
            (long long)sweep, points.size(), runs.size());
        print_points_table(points);
    }
    return cancelled ? 130 : failed ? 1 : 0;
}

}  // namespace hgq::cli
