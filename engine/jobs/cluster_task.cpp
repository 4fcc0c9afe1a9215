// SPDX-License-Identifier: GPL-3.0-or-later
// The node side of a cluster sweep: one array task trains its run into a shard study on local
// scratch and publishes snapshots of it into the shared job folder.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "core/error.h"
#include "core/output_file.h"
#include "jobs/cluster_job.h"
#include "jobs/cluster_manifest.h"

namespace hgq::jobs {
namespace fs = std::filesystem;
namespace {

fs::path scratch_folder(const std::string& given, const ClusterManifest& m, int task) {
    std::string base = given.empty() ? m.scratch : given;
    if (base.empty()) base = std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp";
    const fs::path dir = fs::path(base) / ("hgq-sweep" + std::to_string(m.sweep) + "-task" +
                                           std::to_string(task) + "-" + std::to_string(::getpid()));
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw Error::bad_input(dir.string(), "cannot create the scratch folder: " + ec.message(),
                               "pass --scratch with a writable node-local folder");
    return dir;
}

// A consistent snapshot of the shard, copied whole into the job folder and renamed into place.
void publish(store::Study& shard, const fs::path& scratch, const std::string& dest) {
    const std::string snapshot = (scratch / "publish.sqlite").string();
    shard.backup_to(snapshot);
    copy_file_atomic(snapshot, dest);
}

// The shard's run: resumed from the last published snapshot (a resubmitted task), or new.
int64_t shard_run(store::Study& shard, const ClusterManifest& m, const ClusterTask& t,
                  bool resumed) {
    if (resumed) {
        const auto runs = shard.runs();
        if (runs.size() != 1)
            throw Error::bad_input(
                shard.path(), "a shard holds one run, this one " + std::to_string(runs.size()));
        // Its task was stopped by the scheduler; this task takes the run over.
        if (runs[0].status == "running")
            shard.finish_run(runs[0].id, "interrupted", "resumed by a resubmitted task");
        return runs[0].id;
    }
    return shard.create_sweep_runs("", {}, {{t.name, t.config, m.config_file, t.seed, t.epochs}})
        .second.front();
}

}  // namespace

std::string run_cluster_task(const std::string& folder, int task, const std::string& scratch,
                             const std::string& resources_dir, const std::atomic<bool>* cancel,
                             const RunHooks& hooks) {
    const ClusterManifest m = read_manifest(folder);
    if (task < 0 || task >= int(m.tasks.size()))
        throw Error::bad_input(folder + "/tasks.json", "has no task " + std::to_string(task),
                               "tasks are 0.." + std::to_string(m.tasks.size() - 1));
    const ClusterTask& t = m.tasks[size_t(task)];
    const fs::path dir = scratch_folder(scratch, m, task);
    const std::string dest = shard_path(m.folder, task);
    const std::string local = (dir / "shard.sqlite").string();
    const bool resumed = fs::exists(dest);
    if (resumed) copy_file_atomic(dest, local);
    std::string status;
    {
        store::Study shard(local, store::Study::Open::CreateIfMissing);
        const int64_t run = shard_run(shard, m, t, resumed);
        if (shard.run(run).status == "done") {
            status = "done";
        } else {
            RunOptions opt;
            opt.threads = m.threads;
            opt.resources_dir = resources_dir;
            opt.cancel = cancel;
            RunHooks h = hooks;
            // Called on the writer thread right after it committed a resume state: the shard's
            // connection is that thread's at that moment.
            h.on_resume_state = [&](int64_t, int) { publish(shard, dir, dest); };
            try {
                status = run_job(shard, run, opt, h);
            } catch (...) {
                try {
                    publish(shard, dir, dest);  // the run's failure, for collect to show
                } catch (...) {
                }
                throw;
            }
        }
        publish(shard, dir, dest);
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
    return status;
}

}  // namespace hgq::jobs
