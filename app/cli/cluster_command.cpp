// SPDX-License-Identifier: GPL-3.0-or-later
// hgq cluster status | collect | cancel | resubmit | task: a sweep submitted with
// `hgq sweep --backend slurm`, followed, merged into the study and repaired from the CLI.
#include <chrono>
#include <cstdio>
#include <thread>

#include "cli_common.h"
#include "commands.h"
#include "core/error.h"
#include "jobs/cluster_job.h"
#include "run_config.h"
#include "train_report.h"

namespace hgq::cli {
namespace {

std::vector<int64_t> sweeps_of(store::Study& study, int64_t sweep) {
    if (sweep >= 0) return {sweep};
    const auto all = jobs::cluster_sweeps(study);
    if (all.empty())
        throw Error::bad_input(study.path(), "has no sweep run on a cluster",
                               "submit one: hgq sweep CONFIG --betas A:B:N --backend slurm");
    return all;
}

void print_task(const jobs::TaskStatus& t, bool json) {
    const store::RunRecord& r = t.run;
    const std::string job =
        t.task.job_id.empty() ? "-" : t.task.job_id + "_" + std::to_string(t.task.task);
    if (json) {
        emit_json({{"event", "task"},
                   {"sweep", t.task.sweep_id},
                   {"task", t.task.task},
                   {"run", r.id},
                   {"job_id", t.task.job_id},
                   {"slurm_state", t.task.state},
                   {"status", r.status},
                   {"epochs_done", r.epochs_done},
                   {"epochs_planned", r.epochs_planned},
                   {"points", r.n_points},
                   {"collected", t.task.collected},
                   {"error", r.error}});
        return;
    }
    char epochs[32];
    std::snprintf(epochs, sizeof epochs, "%d/%d", r.epochs_done, r.epochs_planned);
    std::printf("%5d %6lld  %-12s %-12s %-11s %9s %6d  %s%s%s\n", t.task.task, (long long)r.id,
                job.c_str(), t.task.state.empty() ? "-" : t.task.state.c_str(), r.status.c_str(),
                epochs, r.n_points, t.task.collected.empty() ? "-" : t.task.collected.c_str(),
                r.error.empty() ? "" : "  — ", r.error.c_str());
}

void print_header(int64_t sweep, const std::string& folder, bool json) {
    if (json) return;
    std::printf("sweep %lld (%s)\n%5s %6s  %-12s %-12s %-11s %9s %6s  %s\n", (long long)sweep,
                folder.c_str(), "task", "run", "job", "SLURM", "status", "epochs", "points",
                "collected");
}

// One pass: merge, report what was merged or skipped. Returns whether everything ended.
bool collect_once(store::Study& study, int64_t sweep, bool json, bool quiet_tasks) {
    const jobs::CollectResult r = jobs::collect(study, sweep);
    for (const auto& w : r.warnings) {
        if (json)
            emit_json({{"event", "skipped"}, {"sweep", sweep}, {"error", w}});
        else
            std::fprintf(stderr, "hgq: warning: %s\n", w.c_str());
    }
    if (!quiet_tasks || r.all_ended) {
        if (!r.tasks.empty()) print_header(sweep, r.tasks.front().task.folder, json);
        for (const auto& t : r.tasks) print_task(t, json);
    }
    if (json)
        emit_json({{"event", "collected"},
                   {"sweep", sweep},
                   {"merged", r.merged},
                   {"unchanged", r.unchanged},
                   {"skipped", r.skipped},
                   {"all_ended", r.all_ended}});
    else if (r.merged || r.skipped)
        std::printf("sweep %lld: %d snapshot(s) merged, %d skipped\n", (long long)sweep, r.merged,
                    r.skipped);
    std::fflush(stdout);
    return r.all_ended;
}

}  // namespace

int run_cluster_status(const ClusterArgs& a) {
    store::Study study(study_path(a.db), store::Study::Open::Existing);
    for (int64_t sweep : sweeps_of(study, a.sweep)) {
        const auto tasks = jobs::cluster_status(study, sweep);
        if (!tasks.empty()) print_header(sweep, tasks.front().task.folder, a.json);
        for (const auto& t : tasks) print_task(t, a.json);
    }
    return 0;
}

int run_cluster_collect(const ClusterArgs& a) {
    const std::atomic<bool>& stop = install_interrupt_handler();
    store::Study study(study_path(a.db), store::Study::Open::Existing);
    for (int64_t sweep : sweeps_of(study, a.sweep)) {
        while (!collect_once(study, sweep, a.json, a.wait) && a.wait) {
            for (int i = 0; i < 20 && !stop; ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            if (stop) return 130;
        }
    }
    return 0;
}

int run_cluster_cancel(const ClusterArgs& a) {
    store::Study study(study_path(a.db), store::Study::Open::Existing);
    jobs::cancel_sweep(study, a.sweep);
    // The scheduler takes a moment to stop the tasks; what has stopped is settled now, the rest
    // at the next collect.
    for (int i = 0; i < 20 && !collect_once(study, a.sweep, a.json, true); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    if (!a.json) std::printf("sweep %lld cancelled\n", (long long)a.sweep);
    return 0;
}

int run_cluster_resubmit(const ClusterArgs& a) {
    store::Study study(study_path(a.db), store::Study::Open::Existing);
    const jobs::Submitted s = jobs::resubmit(study, a.sweep);
    if (a.json) {
        emit_json({{"event", "submitted"},
                   {"sweep", s.sweep},
                   {"job_id", s.job_id},
                   {"tasks", s.tasks.size()},
                   {"task_ids", s.tasks}});
    } else if (s.tasks.empty()) {
        std::printf("sweep %lld: no task to resubmit\n", (long long)s.sweep);
    } else {
        std::printf("sweep %lld: %zu task(s) resubmitted as job %s\n", (long long)s.sweep,
                    s.tasks.size(), s.job_id.c_str());
    }
    return 0;
}

int run_cluster_task(const ClusterArgs& a) {
    const std::atomic<bool>& stop = install_interrupt_handler();  // SLURM sends SIGTERM
    jobs::RunHooks hooks;
    hooks.on_epoch = [&](int64_t run, const EpochMetrics& m) {
        if (a.json)
            emit_json(epoch_json(run, m));
        else
            std::printf("epoch %5d  loss %.4f  val %.2f%%  EBOPs %9s  beta %.2e\n", m.epoch, m.loss,
                        100 * m.val_accuracy, si(m.ebops).c_str(), m.beta);
        std::fflush(stdout);
    };
    const std::string status =
        jobs::run_cluster_task(a.folder, a.task, a.scratch, resources_dir(), &stop, hooks);
    if (a.json)
        emit_json({{"event", "done"}, {"task", a.task}, {"status", status}});
    else
        std::printf("task %d: %s\n", a.task, status.c_str());
    return status == "done" ? 0 : status == "cancelled" ? 130 : 1;
}

}  // namespace hgq::cli
