// SPDX-License-Identifier: GPL-3.0-or-later
// hgq inspect: a deployed point layer by layer — types, bits, pruning, EBOPs, LUT and latency
// estimates, and the float-vs-fixed trace diff on the test split.
#include <cstdio>
#include <fstream>

#include "cli_common.h"
#include "commands.h"
#include "config/json_reader.h"
#include "core/error.h"
#include "data/dataset.h"

namespace hgq::cli {
namespace {

double mean_bits(const nlohmann::json& hist) {
    double n = 0, sum = 0;
    for (size_t b = 0; b < hist.size(); ++b) {
        n += hist[b].get<double>();
        sum += double(b) * hist[b].get<double>();
    }
    return n > 0 ? sum / n : 0;
}

const nlohmann::json& find_point(const nlohmann::json& run, int id, const std::string& file) {
    if (!run.contains("points") || !run["points"].is_array())
        throw Error::bad_input(file, "no 'points' list", "write the file with hgq train --out");
    for (const auto& p : run["points"])
        if (p.value("point", -1) == id) {
            if (!p.contains("deployment"))
                throw Error::bad_input(file, "point " + std::to_string(id) + " has no deployment",
                                       "re-run hgq train --out with this version");
            return p;
        }
    throw Error::bad_input(file, "no point " + std::to_string(id),
                           "the file has points 1.." + std::to_string(run["points"].size()));
}

void print_table(const nlohmann::json& p) {
    const auto& d = p["deployment"];
    std::printf(
        "point %d (run %d, epoch %d, beta %.3g): test accuracy %.2f%% (integer model), "
        "%.2f%% (float); exact EBOPs %lld, LUT estimate %.0f, %d adder levels\n\n",
        p["point"].get<int>(), p["run"].get<int>(), p["epoch"].get<int>(), p["beta"].get<double>(),
        100 * p["test_accuracy"].get<double>(), 100 * d["test_accuracy_float"].get<double>(),
        p["ebops"].get<long long>(), d["lut_estimate"].get<double>(), d["adder_levels"].get<int>());
    std::printf("%-8s %-26s %-22s %6s %6s %8s %8s %9s %6s %10s %5s\n", "layer", "output type",
                "weight type", "w bits", "a bits", "w pruned", "a pruned", "EBOPs", "LUT",
                "max |diff|", "ovf");
    const auto& diff = d["trace_diff"]["layers"];
    for (size_t l = 0; l < d["layers"].size(); ++l) {
        const auto& r = d["layers"][l];
        const double w = std::max(1.0, r["weights"].get<double>()),
                     a = std::max(1.0, r["outputs"].get<double>());
        std::printf("%-8s %-26s %-22s %6.2f %6.2f %7.1f%% %7.1f%% %9lld %6.0f %10.3g %5lld\n",
                    r["layer"].get<std::string>().c_str(),
                    r["out_types"].get<std::string>().c_str(),
                    r["weight_type"].get<std::string>().c_str(), mean_bits(r["weight_bits_hist"]),
                    mean_bits(r["act_bits_hist"]), 100 * r["pruned_weights"].get<double>() / w,
                    100 * r["pruned_outputs"].get<double>() / a, r["ebops"].get<long long>(),
                    r["lut_estimate"].get<double>(), diff[l]["max_abs_diff"].get<double>(),
                    diff[l]["overflows"].get<long long>());
    }
    const auto& t = d["trace_diff"];
    std::printf(
        "\nfloat vs integer argmax on the test split: %lld/%lld agree; %lld/%lld of the samples "
        "without overflow\n",
        t["argmax_agree"].get<long long>(), t["samples"].get<long long>(),
        t["clean_agree"].get<long long>(), t["clean_samples"].get<long long>());
}

}  // namespace

int run_inspect(const InspectArgs& a) {
    const nlohmann::json run = parse_json_text(read_file_maybe_gz(a.run), a.run);
    const nlohmann::json& p = find_point(run, a.point, a.run);
    if (a.json) {
        nlohmann::json out = p;
        out.erase("snapshot");
        out["event"] = "inspect";
        emit_json(out);
    } else {
        print_table(p);
    }
    return 0;
}

}  // namespace hgq::cli
