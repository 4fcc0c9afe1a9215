// SPDX-License-Identifier: GPL-3.0-or-later
// hgq compare A B: two points as firmware, side by side — totals, per layer, per class, and the
// test samples they classify differently.
#include <algorithm>
#include <cstdio>
#include <thread>

#include "cli_common.h"
#include "commands.h"
#include "jobs/compare_job.h"
#include "run_config.h"

namespace hgq::cli {
namespace {

std::string num(const nlohmann::json& v, const char* fmt) {
    if (v.is_null()) return "-";
    char buf[64];
    if (v.is_number_integer())
        std::snprintf(buf, sizeof buf, "%lld", v.get<long long>());
    else
        std::snprintf(buf, sizeof buf, fmt, v.get<double>());
    return buf;
}

std::string text(const nlohmann::json& v) {
    return v.is_null() ? "-" : v.get<std::string>();
}

void print_totals(const nlohmann::json& j) {
    const auto &a = j["a"], &b = j["b"];
    std::printf("%-22s %14s %14s\n", "", ("point " + num(a["point"], "")).c_str(),
                ("point " + num(b["point"], "")).c_str());
    auto row = [](const char* name, const std::string& x, const std::string& y) {
        std::printf("%-22s %14s %14s\n", name, x.c_str(), y.c_str());
    };
    row("run / epoch", num(a["run"], "") + " / " + num(a["epoch"], ""),
        num(b["run"], "") + " / " + num(b["epoch"], ""));
    row("test accuracy (int)", num(100 * a["test_accuracy"].get<double>(), "%.2f%%"),
        num(100 * b["test_accuracy"].get<double>(), "%.2f%%"));
    row("exact EBOPs", num(a["ebops"], ""), num(b["ebops"], ""));
    row("LUT estimate", num(a["lut_estimate"], "%.0f"), num(b["lut_estimate"], "%.0f"));
    row("LUTs synthesized", num(a.value("luts_synth", nlohmann::json()), ""),
        num(b.value("luts_synth", nlohmann::json()), ""));
    row("adder levels", num(a["adder_levels"], ""), num(b["adder_levels"], ""));
    for (const auto* s : {&a, &b})
        if (s->contains("parent"))
            std::printf("point %lld is derived from point %lld by %zu edits\n",
                        (*s)["point"].get<long long>(), (*s)["parent"].get<long long>(),
                        (*s)["edits"].size());
    if (j["disagree"].is_null())
        std::printf("\nthe points were trained on different data: no test sample is shared\n");
    else
        std::printf(
            "\ntest samples classified differently: %lld of %lld (%.2f %%)\n",
            j["disagree"].get<long long>(), j["samples"].get<long long>(),
            100.0 * j["disagree"].get<double>() / std::max(1.0, j["samples"].get<double>()));
}

void print_layers(const nlohmann::json& j) {
    std::printf("\n%-10s %10s %10s %13s %13s %13s %17s  %s\n", "layer", "EBOPs A", "EBOPs B",
                "w bits A/B", "a bits A/B", "w pruned A/B", "a pruned A/B", "weight type A | B");
    for (const auto& l : j["layers"]) {
        auto pct = [&l](const char* part, const char* whole, const char* side) {
            const auto& p = l[std::string(part) + "_" + side];
            const auto& w = l[std::string(whole) + "_" + side];
            if (p.is_null()) return std::string("-");
            return num(100 * p.get<double>() / std::max(1.0, w.get<double>()), "%.0f%%");
        };
        std::printf("%-10s %10s %10s %6s/%-6s %6s/%-6s %6s/%-6s %8s/%-8s  %s | %s\n",
                    l["layer"].get<std::string>().c_str(), num(l["ebops_a"], "").c_str(),
                    num(l["ebops_b"], "").c_str(), num(l["mean_weight_bits_a"], "%.2f").c_str(),
                    num(l["mean_weight_bits_b"], "%.2f").c_str(),
                    num(l["mean_act_bits_a"], "%.2f").c_str(),
                    num(l["mean_act_bits_b"], "%.2f").c_str(),
                    pct("pruned_weights", "weights", "a").c_str(),
                    pct("pruned_weights", "weights", "b").c_str(),
                    pct("pruned_outputs", "outputs", "a").c_str(),
                    pct("pruned_outputs", "outputs", "b").c_str(), text(l["weight_type_a"]).c_str(),
                    text(l["weight_type_b"]).c_str());
    }
}

void print_classes(const nlohmann::json& j) {
    const auto &a = j["a"], &b = j["b"];
    std::printf("\n%-12s %9s %9s   confusion row A | B (true class; predicted 0..%zu)\n", "class",
                "acc A", "acc B", a["confusion"].size() - 1);
    for (size_t c = 0; c < a["class_accuracy"].size(); ++c) {
        const std::string name =
            c < j["classes"].size() ? j["classes"][c].get<std::string>() : std::to_string(c);
        std::printf(
            "%-12s %8.2f%% %8.2f%%  ", name.c_str(), 100 * a["class_accuracy"][c].get<double>(),
            c < b["class_accuracy"].size() ? 100 * b["class_accuracy"][c].get<double>() : 0);
        for (const auto& v : a["confusion"][c]) std::printf(" %4lld", v.get<long long>());
        std::printf("  |");
        if (c < b["confusion"].size())
            for (const auto& v : b["confusion"][c]) std::printf(" %4lld", v.get<long long>());
        std::printf("\n");
    }
}

}  // namespace

int run_compare(const CompareArgs& a) {
    store::Study study(study_path(a.db), store::Study::Open::ReadOnly);
    const int threads =
        a.threads > 0 ? a.threads : int(std::max(1u, std::thread::hardware_concurrency()));
    const jobs::PointComparison c = jobs::compare_points(study, a.a, a.b, resources_dir(), threads);
    nlohmann::json j = jobs::to_json(c);
    if (a.json) {
        j["event"] = "compare";
        emit_json(j);
        return 0;
    }
    print_totals(j);
    print_layers(j);
    print_classes(j);
    return 0;
}

}  // namespace hgq::cli
