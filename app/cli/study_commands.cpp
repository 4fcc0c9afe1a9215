// SPDX-License-Identifier: GPL-3.0-or-later
// hgq runs | pareto | resume | study export-csv/import-csv/merge: reading and maintaining a study.
#include <algorithm>
#include <cstdio>

#include "cli_common.h"
#include "commands.h"
#include "jobs/budget.h"
#include "core/error.h"
#include "core/output_file.h"
#include "run_config.h"
#include "jobs/run_job.h"
#include "store/study_transfer.h"
#include "train_report.h"

namespace hgq::cli {
namespace {

// Writable when it can be (a writable open marks runs left `running` by a dead process as
// `interrupted`); a read-only study is listed as it stands.
store::Study open_for_listing(const std::string& db) {
    const std::string path = study_path(db);
    return store::Study(path, store::study_is_writable(path) ? store::Study::Open::Existing
                                                             : store::Study::Open::ReadOnly);
}

// Not dominated on (test accuracy ↑, exact EBOPs ↓): the staircase the user picks from.
}  // namespace

int run_runs(const StudyArgs& a) {
    store::Study study = open_for_listing(a.db);
    const auto runs = study.runs();
    if (!a.json)
        std::printf("%5s %5s  %-11s %9s %6s %9s  %s\n", "run", "sweep", "status", "epochs",
                    "points", "seconds", "name");
    for (const auto& r : runs) {
        if (a.json) {
            emit_json({{"event", "run"},
                       {"run", r.id},
                       {"sweep", r.sweep_id},
                       {"name", r.name},
                       {"status", r.status},
                       {"error", r.error},
                       {"seed", r.seed},
                       {"epochs_done", r.epochs_done},
                       {"epochs_planned", r.epochs_planned},
                       {"points", r.n_points},
                       {"train_seconds", r.train_seconds},
                       {"created", r.created},
                       {"started", r.started},
                       {"finished", r.finished}});
            continue;
        }
        char epochs[32];
        std::snprintf(epochs, sizeof epochs, "%d/%d", r.epochs_done, r.epochs_planned);
        std::printf("%5lld %5lld  %-11s %9s %6d %9.1f  %s%s%s\n", (long long)r.id,
                    (long long)r.sweep_id, r.status.c_str(), epochs, r.n_points, r.train_seconds,
                    r.name.c_str(), r.error.empty() ? "" : "  — ", r.error.c_str());
    }
    return 0;
}

int run_pareto(const StudyArgs& a) {
    if (has_budget(a)) return run_pareto_budget(a);
    store::Study study(study_path(a.db), store::Study::Open::ReadOnly);
    if (a.run >= 0) study.run(a.run);  // a clear error for an unknown run
    auto pts = study.points(a.run);
    if (!a.all) pts = jobs::test_front(std::move(pts));
    std::map<int64_t, int64_t> luts;
    const auto syntheses = study.syntheses(a.run);
    const std::string family = store::main_synth_family(syntheses);
    const std::string mode = store::main_synth_mode(syntheses, family);
    for (const auto& s : syntheses)
        if (s.family == family && s.adder_mode == mode) luts[s.point_id] = s.luts;
    if (a.json) {
        for (const auto& p : pts) {
            nlohmann::json j = point_json(p);
            j["event"] = "point";
            if (luts.count(p.id)) j["luts_synth"] = luts[p.id];
            emit_json(j);
        }
        return 0;
    }
    std::printf("%s of %s%s: %zu points\n", a.all ? "All points" : "Pareto front",
                study.path().c_str(), a.run >= 0 ? (", run " + std::to_string(a.run)).c_str() : "",
                pts.size());
    print_points_table(pts, luts);
    return 0;
}

int run_resume(const StudyArgs& a) {
    const std::string db = study_path(a.db);
    store::Study study(db, store::Study::Open::Existing);
    const store::RunRecord run = study.run(a.run);
    const ExperimentConfig cfg = parse_experiment(run.config, run.config_file);
    const Splits data = load_experiment_data(cfg, resources_dir());
    jobs::RunOptions opt;
    opt.cancel = &install_interrupt_handler();  // before the first line a script may act on
    opt.threads = cfg.training.threads;
    opt.resources_dir = resources_dir();
    opt.data = &data;
    TrainReport report(cfg, data, a.json, run.id, db);
    return report.run(study, opt, {&cfg, nullptr});
}

int run_export_csv(const StudyArgs& a) {
    const std::string db = study_path(a.db);
    check_output_file(a.file, a.force, {db, db + "-wal", db + "-shm"});
    store::Study study(db, store::Study::Open::ReadOnly);
    store::export_points_csv(study, a.file);
    std::printf("%zu points written to %s\n", study.points().size(), a.file.c_str());
    return 0;
}

int run_import_csv(const StudyArgs& a) {
    store::Study study(study_path(a.db), store::Study::Open::CreateIfMissing);
    const int64_t run = store::import_points_csv(study, a.file);
    std::printf("%zu points imported from %s as run %lld\n", study.points(run).size(),
                a.file.c_str(), (long long)run);
    return 0;
}

int run_merge(const StudyArgs& a) {
    store::Study study(study_path(a.db), store::Study::Open::CreateIfMissing);
    const auto n = store::merge_study(study, a.file);
    std::printf(
        "merged %s: %lld sweeps, %lld runs, %lld epochs, %lld checkpoints, %lld points, "
        "%lld exports, %lld syntheses\n",
        a.file.c_str(), (long long)n.sweeps, (long long)n.runs, (long long)n.epochs,
        (long long)n.checkpoints, (long long)n.points, (long long)n.exports,
        (long long)n.syntheses);
    return 0;
}

}  // namespace hgq::cli
