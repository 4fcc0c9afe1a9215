// SPDX-License-Identifier: GPL-3.0-or-later
// Collecting a cluster sweep: the scheduler's state of every task, each new published snapshot
// checked on a local copy and merged (the task's rows replaced), and the runs of tasks SLURM
// stopped turned into `interrupted`.
#include <unistd.h>

#include <filesystem>
#include <map>

#include "core/error.h"
#include "core/output_file.h"
#include "jobs/cluster_job.h"
#include "jobs/cluster_manifest.h"

namespace hgq::jobs {
namespace fs = std::filesystem;
namespace {

// Size and modification time: a published snapshot is renamed into place whole, so a new one
// always changes them.
std::string stamp_of(const std::string& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) return {};
    const auto time = fs::last_write_time(path, ec).time_since_epoch().count();
    return std::to_string(size) + ":" + std::to_string(time);
}

// The shard copied to local disk and checked: an HGQ study (schema and all), intact, one run.
// Returns that run's id; throws naming the published file otherwise.
int64_t checked_copy(const std::string& shard, const std::string& local) {
    try {
        copy_file_atomic(shard, local);
        store::Study s(local, store::Study::Open::ReadOnly);
        store::Stmt check(s.db(), "PRAGMA integrity_check");
        if (!check.step() || check.text(0) != "ok")
            throw Error::bad_input(shard, "fails SQLite's integrity check");
        const auto runs = s.runs();
        if (runs.size() != 1)
            throw Error::bad_input(shard, "holds " + std::to_string(runs.size()) + " runs, not 1");
        return runs[0].id;
    } catch (const Error& e) {
        throw Error::bad_input(shard, std::string("skipped: ") + e.message(),
                               "a damaged or half-written snapshot is never merged; the task "
                               "publishes a new one at its next resume state");
    }
}

// Each task's state from the job that runs it now.
void refresh_states(store::Study& study, int64_t sweep, std::vector<store::ClusterTaskRecord>& ts) {
    std::map<std::string, std::map<int, std::string>> by_job;
    for (auto& t : ts) {
        if (t.job_id.empty()) continue;
        if (!by_job.count(t.job_id)) by_job[t.job_id] = cluster::task_states(t.job_id);
        const auto& states = by_job[t.job_id];
        const auto it = states.find(t.task);
        if (it == states.end() || it->second == t.state) continue;
        t.state = it->second;
        study.set_task_state(sweep, t.task, t.state);
    }
}

// A task SLURM stopped (or that ended without a final snapshot) leaves its run resumable.
void settle_run(store::Study& study, const store::ClusterTaskRecord& t) {
    // Only once its last snapshot is merged: that snapshot may well say "done".
    if (!cluster::ended(t.state) || stamp_of(shard_path(t.folder, t.task)) != t.shard_stamp) return;
    const store::RunRecord run = study.run(t.run_id);
    if (run.status == "done" || run.status == "failed" || run.status == "interrupted") return;
    study.finish_run(t.run_id, "interrupted",
                     "SLURM task " + t.job_id + "_" + std::to_string(t.task) + " ended " + t.state +
                         " before its run finished; hgq cluster resubmit " +
                         std::to_string(t.sweep_id) + " resumes it");
}

std::vector<store::ClusterTaskRecord> tasks_of(store::Study& study, int64_t sweep) {
    auto tasks = study.cluster_tasks(sweep);
    if (tasks.empty())
        throw Error::bad_input(study.path() + ": sweep " + std::to_string(sweep),
                               "was not run on a cluster", "list them: hgq cluster status");
    refresh_states(study, sweep, tasks);
    return tasks;
}

}  // namespace

std::vector<TaskStatus> cluster_status(store::Study& study, int64_t sweep) {
    std::vector<TaskStatus> out;
    for (const auto& t : tasks_of(study, sweep)) {
        settle_run(study, t);
        out.push_back({t, study.run(t.run_id)});
    }
    return out;
}

CollectResult collect(store::Study& study, int64_t sweep) {
    auto tasks = tasks_of(study, sweep);
    const fs::path tmp = fs::temp_directory_path() / ("hgq-collect-" + std::to_string(::getpid()));
    fs::create_directories(tmp);
    CollectResult r;
    r.all_ended = true;
    for (auto& t : tasks) {
        const std::string shard = shard_path(t.folder, t.task);
        const std::string stamp = stamp_of(shard);
        if (!stamp.empty() && stamp != t.shard_stamp) {
            const std::string local =
                (tmp / ("task-" + std::to_string(t.task) + ".sqlite")).string();
            try {
                const int64_t shard_run = checked_copy(shard, local);
                study.replace_run_from_shard(local, shard_run, t.run_id, sweep, t.task, stamp);
                t.shard_stamp = stamp;
                ++r.merged;
            } catch (const Error& e) {
                r.warnings.push_back(e.what());
                ++r.skipped;
            }
        } else {
            ++r.unchanged;
        }
        settle_run(study, t);
        // Never submitted, or ended with its last snapshot (if any) merged: nothing more will
        // come from it.
        r.all_ended = r.all_ended &&
                      (t.job_id.empty() || (cluster::ended(t.state) && stamp == t.shard_stamp));
    }
    for (const auto& t : study.cluster_tasks(sweep)) r.tasks.push_back({t, study.run(t.run_id)});
    std::error_code ec;
    fs::remove_all(tmp, ec);
    return r;
}

}  // namespace hgq::jobs
