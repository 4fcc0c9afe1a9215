// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_config.h"

#include <filesystem>

#include "config/json_reader.h"
#include "core/error.h"
#include "data/dataset.h"

namespace hgq::cli {
namespace fs = std::filesystem;

RunConfig load_run_config(const std::string& path, const RunOverrides& o) {
    RunConfig rc;
    std::error_code ec;
    rc.file = fs::absolute(path, ec).lexically_normal().string();
    if (ec) rc.file = path;
    rc.json = parse_json_text(read_file_maybe_gz(path, kMaxConfigFileBytes), path);
    if (!rc.json.is_object())
        throw Error::bad_input(path, "the config must be a JSON object", "see resources/examples");
    auto& training = rc.json["training"];
    if (training.is_null()) training = nlohmann::json::object();
    if (o.epochs > 0) training["epochs"] = o.epochs;
    if (o.threads > 0) training["threads"] = o.threads;
    if (o.seed >= 0) training["seed"] = o.seed;
    if (!o.data.empty()) {
        const std::string fmt = format_from_extension(o.data);
        if (fmt.empty())
            throw Error::bad_input(o.data, "cannot tell the format from the file name",
                                   "use a .csv, .csv.gz, .arff, .arff.gz or .npy file");
        rc.json["data"] = {{"source", fmt},
                           {"path", fs::absolute(o.data, ec).lexically_normal().string()}};
        if (fmt == "npy" && o.labels.empty())
            throw Error::bad_input("--data " + o.data, "an NPY data set needs its labels",
                                   "pass --labels y.npy (one integer class per row of x)");
        if (!o.labels.empty())
            rc.json["data"]["labels"] = fs::absolute(o.labels, ec).lexically_normal().string();
    }
    if (!o.labels.empty() && (o.data.empty() || format_from_extension(o.data) != "npy"))
        throw Error::bad_input("--labels " + o.labels, "goes with an NPY --data file",
                               "CSV and ARFF files carry their labels in a column");
    reparse(rc);
    return rc;
}

void reparse(RunConfig& rc) {
    rc.parsed = parse_experiment(rc.json, rc.file);
}

std::string study_path(const std::string& db) {
    return db.empty() ? "hgq-study.sqlite" : db;
}

}  // namespace hgq::cli
