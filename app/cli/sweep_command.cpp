// SPDX-License-Identifier: GPL-3.0-or-later
// hgq sweep CONFIG --betas FROM:TO:COUNT | --seeds N [--parallel K]: several runs of one config
// in a pool of worker threads, all streaming into one study.
#include <cstdio>
#include <mutex>
#include <thread>

#include "cli_common.h"
#include "commands.h"
#include "core/error.h"
#include "run_config.h"
#include "store/run_executor.h"
#include "store/sweep_plan.h"
#include "train_report.h"

namespace hgq::cli {
namespace {

struct Plan {
    std::string name;
    RunConfig rc;
};

std::vector<Plan> plan_runs(const SweepArgs& a, const RunConfig& base) {
    std::vector<Plan> plans;
    const int epochs = base.parsed.training.epochs;
    if (!a.betas.empty())
        for (double b : store::parse_beta_grid(a.betas)) {
            Plan p{"", base};
            store::set_beta(p.rc.json, b,
                            a.shape == "ramp" ? store::BetaShape::Ramp : store::BetaShape::Constant,
                            epochs);
            char name[96];
            std::snprintf(name, sizeof name, "%s beta=%.3g%s", base.parsed.name.c_str(), b,
                          a.shape == "ramp" ? " (ramp)" : "");
            p.name = name;
            plans.push_back(std::move(p));
        }
    for (int s = 0; s < a.seeds; ++s) {
        Plan p{"", base};
        const uint64_t seed = base.parsed.training.seed + uint64_t(s);
        p.rc.json["training"]["seed"] = seed;
        p.name = base.parsed.name + " seed=" + std::to_string(seed);
        plans.push_back(std::move(p));
    }
    for (Plan& p : plans) reparse(p.rc);
    return plans;
}

}  // namespace

int run_sweep(const SweepArgs& a) {
    if (a.betas.empty() == (a.seeds == 0))
        throw Error::bad_input("hgq sweep",
                               "give exactly one of --betas FROM:TO:COUNT or --seeds N");
    const std::atomic<bool>& cancel = install_interrupt_handler();  // before any output
    const RunConfig base = load_run_config(a.config, {"", "", a.epochs, 0, -1});
    const std::vector<Plan> plans = plan_runs(a, base);
    const int cores =
        a.cores > 0 ? a.cores : int(std::max(1u, std::thread::hardware_concurrency()));
    const Splits data = load_experiment_data(base.parsed, resources_dir());
    store::build_run_model(base.parsed, data);  // config errors before any run is stored
    const std::string db = study_path(a.db);
    std::vector<int64_t> runs;
    int64_t sweep = 0;
    {
        store::Study study(db, store::Study::Open::CreateIfMissing);
        study.mark_orphans_interrupted();
        nlohmann::json spec = {{"config", base.file}, {"betas", a.betas},       {"shape", a.shape},
                               {"seeds", a.seeds},    {"parallel", a.parallel}, {"cores", cores}};
        sweep = study.create_sweep(base.parsed.name, spec);
        for (const Plan& p : plans)
            runs.push_back(study.create_run(sweep, p.name, p.rc.json, p.rc.file,
                                            p.rc.parsed.training.seed,
                                            p.rc.parsed.training.epochs));
    }
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
    store::RunEvents ev;
    const int every = std::max(1, base.parsed.training.epochs / 10);
    ev.on_epoch = [&](int64_t run, const EpochMetrics& m) {
        std::lock_guard<std::mutex> lock(out);
        if (a.json)
            emit_json({{"event", "epoch"},
                       {"run", run},
                       {"epoch", m.epoch},
                       {"loss", m.loss},
                       {"val_accuracy", m.val_accuracy},
                       {"ebops", m.ebops},
                       {"beta", m.beta},
                       {"samples_per_second", m.samples_per_second},
                       {"kept", m.kept}});
        else if (m.epoch % every == 0 || m.epoch == 1)
            std::printf("run %4lld  epoch %5d  val %.2f%%  EBOPs %9s  beta %.2e  %s samples/s\n",
                        (long long)run, m.epoch, 100 * m.val_accuracy, si(m.ebops).c_str(), m.beta,
                        si(m.samples_per_second).c_str());
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
    store::ExecOptions opt;
    opt.resources_dir = resources_dir();
    opt.data = &data;
    opt.cancel = &cancel;
    const auto statuses = store::execute_runs(db, runs, a.parallel, cores, opt, ev);
    store::Study study(db, store::Study::Open::Existing);
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
