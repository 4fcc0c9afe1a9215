// SPDX-License-Identifier: GPL-3.0-or-later
// hgq inspect: a deployed point layer by layer — types, bits, pruning, EBOPs, LUT and latency
// estimates, and the float-vs-fixed trace diff on the test split.
#include <cstdio>

#include "cli_common.h"
#include "commands.h"
#include "core/error.h"
#include "run_config.h"
#include "store/study.h"
#include "train_report.h"

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

void print_table(const nlohmann::json& p) {
    const auto& d = p["deployment"];
    std::printf(
        "point %lld (run %lld, epoch %d, beta %.3g): test accuracy %.2f%% (integer model), "
        "%.2f%% (float); exact EBOPs %lld, LUT estimate %.0f, %d adder levels\n\n",
        p["point"].get<long long>(), p["run"].get<long long>(), p["epoch"].get<int>(),
        p["beta"].get<double>(), 100 * p["test_accuracy"].get<double>(),
        100 * d["test_accuracy_float"].get<double>(), p["ebops"].get<long long>(),
        d["lut_estimate"].get<double>(), d["adder_levels"].get<int>());
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
    store::Study study(study_path(a.db), store::Study::Open::ReadOnly);
    const store::PointRecord rec = study.point(a.point);
    nlohmann::json p = point_json(rec);
    p["deployment"] = rec.report;
    if (a.json) {
        p["event"] = "inspect";
        emit_json(p);
    } else {
        print_table(p);
    }
    return 0;
}

}  // namespace hgq::cli
