// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/cluster_manifest.h"

#include <filesystem>

#include "core/error.h"
#include "core/output_file.h"
#include "data/dataset.h"

namespace hgq::jobs {
namespace fs = std::filesystem;
namespace {
constexpr const char* kFormat = "hgq-cluster-sweep/1";

nlohmann::json to_json(const cluster::SbatchOptions& o) {
    return {{"partition", o.partition},
            {"time", o.time},
            {"mem", o.mem},
            {"cpus_per_task", o.cpus_per_task},
            {"max_parallel", o.max_parallel},
            {"extra", o.extra}};
}

cluster::SbatchOptions sbatch_from(const nlohmann::json& j) {
    cluster::SbatchOptions o;
    o.partition = j.value("partition", "");
    o.time = j.value("time", "");
    o.mem = j.value("mem", "");
    o.cpus_per_task = j.value("cpus_per_task", 1);
    o.max_parallel = j.value("max_parallel", 0);
    o.extra = j.value("extra", std::vector<std::string>{});
    return o;
}
}  // namespace

std::string shard_path(const std::string& folder, int task) {
    return (fs::path(folder) / "shards" / ("task-" + std::to_string(task) + ".sqlite")).string();
}

void write_job_folder(const ClusterManifest& m, const nlohmann::json& base_config) {
    std::error_code ec;
    for (const char* sub : {"shards", "logs"}) fs::create_directories(fs::path(m.folder) / sub, ec);
    if (ec)
        throw Error::bad_input(m.folder, "cannot create the job folder: " + ec.message(),
                               "the study's folder must be writable (and shared with the nodes)");
    nlohmann::json tasks = nlohmann::json::array();
    for (const auto& t : m.tasks)
        tasks.push_back({{"task", t.task},
                         {"run", t.run},
                         {"name", t.name},
                         {"seed", t.seed},
                         {"epochs", t.epochs},
                         {"config", t.config}});
    const nlohmann::json manifest = {{"format", kFormat},
                                     {"study", m.study},
                                     {"sweep", m.sweep},
                                     {"folder", m.folder},
                                     {"config_file", m.config_file},
                                     {"hgq", m.hgq},
                                     {"scratch", m.scratch},
                                     {"threads", m.threads},
                                     {"sbatch", to_json(m.sbatch)},
                                     {"tasks", tasks}};
    write_file_atomic(m.folder + "/tasks.json", manifest.dump(1) + "\n");
    write_file_atomic(m.folder + "/config.json", base_config.dump(2) + "\n");
    cluster::ArrayJob job;
    job.name = "hgq-sweep-" + std::to_string(m.sweep);
    job.folder = m.folder;
    job.tasks = int(m.tasks.size());
    job.command = {m.hgq, "cluster", "task", m.folder, "--task", "{task}"};
    if (!m.scratch.empty()) job.command.insert(job.command.end(), {"--scratch", m.scratch});
    job.options = m.sbatch;
    write_file_atomic(m.folder + "/job.sbatch", cluster::array_script(job));
}

ClusterManifest read_manifest(const std::string& folder) {
    const std::string file = (fs::path(folder) / "tasks.json").string();
    const std::string text = read_file_maybe_gz(file, kMaxConfigFileBytes);
    const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || j.value("format", "") != kFormat || !j.contains("tasks"))
        throw Error::bad_input(file, "is not an HGQ Studio cluster sweep manifest",
                               "give a job folder written by hgq sweep --backend slurm");
    ClusterManifest m;
    try {
        m.study = j.at("study"), m.folder = j.at("folder"), m.config_file = j.at("config_file");
        m.hgq = j.at("hgq"), m.scratch = j.value("scratch", "");
        m.sweep = j.at("sweep"), m.threads = j.value("threads", 1);
        m.sbatch = sbatch_from(j.value("sbatch", nlohmann::json::object()));
        for (const auto& t : j.at("tasks"))
            m.tasks.push_back({t.at("task"), t.at("run"), t.at("name"), t.at("config"),
                               t.at("seed"), t.at("epochs")});
    } catch (const nlohmann::json::exception& e) {
        throw Error::bad_input(file, std::string("a field is missing or wrong: ") + e.what(),
                               "write the folder again with hgq sweep --backend slurm");
    }
    return m;
}

}  // namespace hgq::jobs
