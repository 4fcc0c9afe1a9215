// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/study_transfer.h"

#include <cmath>
#include <filesystem>
#include <map>

#include "core/error.h"
#include "core/output_file.h"
#include "data/dataset.h"
#include "data/text_table.h"

namespace hgq::store {
namespace {

const char* const kCsvColumns[] = {"point",        "run",           "run_name",
                                   "rank",         "epoch",         "beta",
                                   "val_accuracy", "test_accuracy", "test_accuracy_float",
                                   "ebops_train",  "ebops_exact",   "lut_estimate",
                                   "adder_levels"};

std::string csv_quote(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

// Whatever the caller allows, never over the study being read.
void refuse_study_files(Study& study, const std::string& csv_path);

std::string num(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

// A run's hyperparameters, as columns beside its points or its row: a notebook comparing runs
// needs them, and the run's name alone ("digits-mlp β=0.0003") does not carry them.
const char* const kRunParamColumns = "sweep,seed,epochs,batch_size,lr,gamma,beta_final,target_ebops";

double final_beta(const nlohmann::json& beta) {
    if (!beta.is_array() || beta.empty() || !beta.back().is_object()) return NAN;
    const auto& last = beta.back();
    const auto it = last.contains("to") ? last.find("to") : last.find("value");
    return it != last.end() && it->is_number() ? it->get<double>() : NAN;
}

double number_at(const nlohmann::json& j, const nlohmann::json::json_pointer& p) {
    return j.contains(p) && j.at(p).is_number() ? j.at(p).get<double>() : NAN;
}

std::string run_params_csv(const RunRecord& r) {
    using ptr = nlohmann::json::json_pointer;
    const nlohmann::json& c = r.config;
    const double target = number_at(c, ptr("/beta/controller/target_ebops"));
    auto opt = [](double v) { return std::isnan(v) ? std::string() : num(v); };
    return std::to_string(r.sweep_id) + "," + std::to_string(r.seed) + "," +
           std::to_string(r.epochs_planned) + "," + opt(number_at(c, ptr("/training/batch_size"))) +
           "," + opt(number_at(c, ptr("/training/optimizer/adam/lr"))) + "," +
           opt(number_at(c, ptr("/quantization/gamma"))) + "," +
           opt(final_beta(c.contains("beta") ? c["beta"] : nlohmann::json())) + "," + opt(target);
}

void refuse_study_files(Study& study, const std::string& csv_path) {
    for (const char* suffix : {"", "-wal", "-shm"})
        if (same_file(csv_path, study.path() + suffix))
            throw Error::bad_input(csv_path, "is the study being exported",
                                   "name a new .csv file to write");
}

}  // namespace

void export_runs_csv(Study& study, const std::string& csv_path) {
    refuse_study_files(study, csv_path);
    std::string out = std::string("run,name,status,epochs_done,") + kRunParamColumns +
                      ",points,train_seconds,error\n";
    for (const RunRecord& r : study.runs())
        out += std::to_string(r.id) + "," + csv_quote(r.name) + "," + csv_quote(r.status) + "," +
               std::to_string(r.epochs_done) + "," + run_params_csv(r) + "," +
               std::to_string(r.n_points) + "," + num(r.train_seconds) + "," + csv_quote(r.error) +
               "\n";
    write_file_atomic(csv_path, out);
}

void export_points_csv(Study& study, const std::string& csv_path) {
    refuse_study_files(study, csv_path);
    std::map<int64_t, std::string> names, params;
    for (const RunRecord& r : study.runs()) names[r.id] = r.name, params[r.id] = run_params_csv(r);
    std::string out;
    for (size_t c = 0; c < std::size(kCsvColumns); ++c) {
        if (c) out += ',';
        out += kCsvColumns[c];
    }
    out += std::string(",") + kRunParamColumns + "\n";
    for (const PointRecord& p : study.points(-1, false)) {
        out += std::to_string(p.id) + "," + std::to_string(p.run_id) + "," +
               csv_quote(names[p.run_id]) + "," + std::to_string(p.rank) + "," +
               std::to_string(p.epoch) + "," + num(p.beta) + "," + num(p.val_accuracy) + "," +
               num(p.test_accuracy) + "," + num(p.test_accuracy_float) + "," + num(p.ebops_train) +
               "," + std::to_string(p.ebops_exact) + "," + num(p.lut_estimate) + "," +
               std::to_string(p.adder_levels) + "," + params[p.run_id] + "\n";
    }
    write_file_atomic(csv_path, out);
}

}  // namespace hgq::store

namespace hgq::store {
namespace {

struct CsvColumns {
    std::map<std::string, size_t> index;
    size_t need(const std::string& name, const std::string& path) const {
        const auto it = index.find(name);
        if (it == index.end())
            throw Error::bad_input(path + ":line 1", "no column '" + name + "'",
                                   "the CSV needs at least epoch, test_accuracy and ebops_exact");
        return it->second;
    }
};

}  // namespace

int64_t import_points_csv(Study& study, const std::string& csv_path) {
    // Regular files only, bounded: a FIFO or /dev/zero must not hang or exhaust memory.
    const std::string content = read_file_maybe_gz(csv_path);
    const auto lines = text::split_lines(content, '\0');
    if (lines.size() < 2) throw Error::bad_input(csv_path, "no data rows", "export one first");
    CsvColumns cols;
    const auto head = text::split_fields(lines[0].text);
    for (size_t c = 0; c < head.size(); ++c) cols.index[std::string(head[c])] = c;
    const size_t c_epoch = cols.need("epoch", csv_path),
                 c_acc = cols.need("test_accuracy", csv_path),
                 c_ebops = cols.need("ebops_exact", csv_path);
    auto optional_number = [&](const std::vector<std::string_view>& f, const char* name,
                               int64_t line) {
        const auto it = cols.index.find(name);
        return it == cols.index.end()
                   ? 0.0
                   : text::parse_number(f[it->second], csv_path, line, it->second);
    };
    std::vector<PointRecord> points;
    for (size_t l = 1; l < lines.size(); ++l) {
        const auto f = text::split_fields(lines[l].text);
        if (f.size() != head.size())
            throw Error::bad_input(csv_path + ":line " + std::to_string(lines[l].number),
                                   "has " + std::to_string(f.size()) + " fields, the header " +
                                       std::to_string(head.size()));
        const int64_t n = lines[l].number;
        PointRecord p;
        p.rank = int(points.size()) + 1;
        // Whole numbers in range before any conversion (a cast of 1e300 is undefined).
        auto whole = [&](size_t c, double hi) {
            const double v = text::parse_number(f[c], csv_path, n, c);
            if (!(v >= 0 && v <= hi && v == std::floor(v)))
                throw Error::bad_input(csv_path + ":line " + std::to_string(n),
                                       "column " + std::string(head[c]) +
                                           " must be a whole number in [0, " + num(hi) + "]");
            return v;
        };
        p.epoch = int(whole(c_epoch, 1e9));
        p.test_accuracy = text::parse_number(f[c_acc], csv_path, n, c_acc);
        p.ebops_exact = int64_t(whole(c_ebops, 1e15));
        p.beta = optional_number(f, "beta", n);
        p.val_accuracy = optional_number(f, "val_accuracy", n);
        p.test_accuracy_float = optional_number(f, "test_accuracy_float", n);
        p.ebops_train = optional_number(f, "ebops_train", n);
        p.lut_estimate = optional_number(f, "lut_estimate", n);
        const double levels = optional_number(f, "adder_levels", n);
        p.adder_levels = levels >= 0 && levels <= 1e6 ? int(levels) : 0;
        if (p.test_accuracy < 0 || p.test_accuracy > 1 || p.ebops_exact < 0)
            throw Error::bad_input(csv_path + ":line " + std::to_string(n),
                                   "test_accuracy must be in [0, 1] and ebops_exact >= 0");
        // The report of a point with no model behind it: no layers, no trace.
        p.report = {{"lut_estimate", p.lut_estimate},
                    {"adder_levels", p.adder_levels},
                    {"test_accuracy_float", p.test_accuracy_float},
                    {"layers", nlohmann::json::array()},
                    {"trace_diff",
                     {{"layers", nlohmann::json::array()},
                      {"argmax_agree", 0},
                      {"samples", 0},
                      {"clean_samples", 0},
                      {"clean_agree", 0}}},
                    {"types", nullptr}};
        points.push_back(std::move(p));
    }
    const std::string name = std::filesystem::path(csv_path).filename().string();
    const int64_t run =
        study.create_run(0, "imported " + name, nlohmann::json::object(), csv_path, 0, 0);
    study.record_points(run, points);
    study.finish_run(run, "imported");
    return run;
}

}  // namespace hgq::store
