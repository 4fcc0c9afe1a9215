// SPDX-License-Identifier: GPL-3.0-or-later
// Submitting a sweep as a job array, and resubmitting its tasks (the node side and collecting
// are in cluster_task.cpp and cluster_collect.cpp).
#include "jobs/cluster_job.h"

#include <unistd.h>

#include <filesystem>

#include "core/error.h"
#include "core/output_file.h"
#include "jobs/cluster_manifest.h"

namespace hgq::jobs {
namespace fs = std::filesystem;
namespace {

std::string this_binary() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : exe.string();
}

std::string hgq_binary(const std::string& given) {
    const std::string path = given.empty() ? this_binary() : fs::absolute(given).string();
    if (path.empty() || ::access(path.c_str(), X_OK) != 0)
        throw Error::bad_input("--hgq " + path, "is not an executable hgq",
                               "give the absolute path of hgq as the nodes see it");
    return path;
}

// Submits the folder's job.sbatch for `tasks` and records the job with them.
std::string submit_tasks(store::Study& study, int64_t sweep, const ClusterManifest& m,
                         const std::vector<int>& tasks, bool whole) {
    const std::string array =
        whole ? std::string() : cluster::array_list(tasks, m.sbatch.max_parallel);
    const std::string job = cluster::submit(m.folder + "/job.sbatch", m.folder, array);
    study.set_task_job(sweep, tasks, job);
    return job;
}

}  // namespace

Submitted submit_sweep(store::Study& study, const SweepPlan& plan, const nlohmann::json& base,
                       const ClusterOptions& opt) {
    cluster::check_options(opt.sbatch);  // before anything is written or stored
    ClusterManifest m;
    m.hgq = hgq_binary(opt.hgq);
    m.sbatch = opt.sbatch;
    m.scratch = opt.scratch;
    m.config_file = plan.config_file;
    m.threads = opt.sbatch.cpus_per_task;
    SweepPlan recorded = plan;
    recorded.spec["backend"] = "slurm";
    const CreatedRuns created = create_runs(study, recorded);
    m.sweep = created.sweep;
    m.study = fs::absolute(study.path()).string();
    m.folder = m.study + ".shards/sweep-" + std::to_string(created.sweep);
    for (size_t i = 0; i < plan.runs.size(); ++i)
        m.tasks.push_back({int(i), created.runs[i], plan.runs[i].name, plan.runs[i].config,
                           plan.runs[i].parsed.training.seed, plan.runs[i].parsed.training.epochs});
    study.add_cluster_tasks(m.sweep, m.folder, created.runs);
    write_job_folder(m, base);
    Submitted out{m.sweep, "", {}, m.folder};
    for (const auto& t : m.tasks) out.tasks.push_back(t.task);
    if (opt.dry_run) return out;
    try {
        out.job_id = submit_tasks(study, m.sweep, m, out.tasks, true);
    } catch (const Error& e) {
        for (int64_t run : created.runs)
            study.finish_run(run, "failed", std::string("not submitted: ") + e.what());
        throw;
    }
    return out;
}

Submitted resubmit(store::Study& study, int64_t sweep) {
    const auto tasks = study.cluster_tasks(sweep);
    if (tasks.empty())
        throw Error::bad_input(study.path() + ": sweep " + std::to_string(sweep),
                               "was not run on a cluster", "list them: hgq cluster status");
    const ClusterManifest m = read_manifest(tasks.front().folder);
    Submitted out{sweep, "", {}, m.folder};
    for (const auto& t : tasks) {
        const store::RunRecord run = study.run(t.run_id);
        if (run.status == "done") continue;
        if (t.job_id.empty() || cluster::ended(t.state)) out.tasks.push_back(t.task);
    }
    if (!out.tasks.empty()) out.job_id = submit_tasks(study, sweep, m, out.tasks, false);
    return out;
}

void cancel_sweep(store::Study& study, int64_t sweep) {
    std::vector<std::string> jobs;
    for (const auto& t : study.cluster_tasks(sweep))
        if (!t.job_id.empty() && std::find(jobs.begin(), jobs.end(), t.job_id) == jobs.end())
            jobs.push_back(t.job_id);
    if (jobs.empty())
        throw Error::bad_input(study.path() + ": sweep " + std::to_string(sweep),
                               "has no submitted job", "list them: hgq cluster status");
    cluster::cancel(jobs);
}

std::vector<int64_t> cluster_sweeps(store::Study& study) {
    std::vector<int64_t> out;
    for (const auto& t : study.cluster_tasks())
        if (out.empty() || out.back() != t.sweep_id) out.push_back(t.sweep_id);
    return out;
}

}  // namespace hgq::jobs
