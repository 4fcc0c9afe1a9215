// SPDX-License-Identifier: GPL-3.0-or-later
// hgq whatif: bit edits on a point, measured exactly without retraining, optionally saved as a
// derived point; and the command-line registration of `compare` and `whatif`.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <thread>

#include "cli_common.h"
#include "commands.h"
#include "core/error.h"
#include "jobs/whatif_job.h"
#include "run_config.h"

namespace hgq::cli {
namespace {

std::vector<TensorEdit> parse_edits(const WhatIfArgs& a) {
    std::vector<TensorEdit> out;
    for (const auto& [option, arg] : a.edits) {
        const TensorEdit::Op op = option == "--max-bits"  ? TensorEdit::Op::MaxBits
                                  : option == "--shift-f" ? TensorEdit::Op::ShiftF
                                                          : TensorEdit::Op::Prune;
        out.push_back(parse_edit(op, arg));
    }
    if (out.empty())
        throw Error::bad_input("hgq whatif", "no edit given",
                               "add --max-bits LAYER.weights=K, --max-bits LAYER.activations=K, "
                               "--shift-f LAYER.weights=±N or --prune LAYER.weights<=K");
    return out;
}

std::string grouped(long long v) {
    std::string s = std::to_string(v < 0 ? -v : v);
    for (int i = int(s.size()) - 3; i > 0; i -= 3) s.insert(size_t(i), ",");
    return (v < 0 ? "-" : "") + s;
}

void print_result(const nlohmann::json& j) {
    std::printf("point %lld, what if:", j["parent"].get<long long>());
    for (const auto& e : j["edits"]) std::printf(" %s", e["text"].get<std::string>().c_str());
    const long long b = j["ebops_before"].get<long long>(), n = j["ebops"].get<long long>();
    std::printf("\n  exact EBOPs    %12s -> %s (%+.1f %%)\n", grouped(b).c_str(),
                grouped(n).c_str(), b ? 100.0 * double(n - b) / double(b) : 0.0);
    std::printf("  test accuracy  %11.2f%% -> %.2f%% (integer model, %+.2f points)\n",
                100 * j["test_accuracy_before"].get<double>(),
                100 * j["test_accuracy"].get<double>(),
                100 * (j["test_accuracy"].get<double>() - j["test_accuracy_before"].get<double>()));
    std::printf("  LUT estimate   %12.0f -> %.0f\n  adder levels   %12d -> %d\n\n",
                j["lut_estimate_before"].get<double>(), j["lut_estimate"].get<double>(),
                j["adder_levels_before"].get<int>(), j["adder_levels"].get<int>());
    std::printf("%-10s %12s %12s %14s %14s %9s  %s\n", "layer", "EBOPs before", "EBOPs",
                "w bits mean/max", "a bits mean/max", "w pruned", "weight type");
    for (const auto& l : j["layers"]) {
        const double w = std::max(1.0, l["weights"].get<double>());
        std::printf("%-10s %12s %12s %9.2f / %-3d %9.2f / %-3d %8.1f%%  %s\n",
                    l["layer"].get<std::string>().c_str(),
                    grouped(l["ebops_before"].get<long long>()).c_str(),
                    grouped(l["ebops"].get<long long>()).c_str(),
                    l["mean_weight_bits"].get<double>(), l["max_weight_bits"].get<int>(),
                    l["mean_act_bits"].get<double>(), l["max_act_bits"].get<int>(),
                    100 * l["pruned_weights"].get<double>() / w,
                    l["weight_type"].get<std::string>().c_str());
    }
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int run_whatif(const WhatIfArgs& a) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::vector<TensorEdit> edits = parse_edits(a);
    const std::string db = study_path(a.db);
    store::Study study(db, a.save ? store::Study::Open::Existing : store::Study::Open::ReadOnly);
    const int threads =
        a.threads > 0 ? a.threads : int(std::max(1u, std::thread::hardware_concurrency()));
    jobs::WhatIf w(study, a.point, resources_dir(), threads);
    w.check(edits);  // before the test split is run: a typo costs nothing
    const auto t1 = std::chrono::steady_clock::now();
    const jobs::WhatIfResult r = w.evaluate(edits);
    nlohmann::json j = w.to_json(r);
    j["seconds"] = seconds_since(t0);
    j["edit_seconds"] = seconds_since(t1);
    if (a.save) j["point"] = w.save(study, r);
    if (a.json) {
        j["event"] = "whatif";
        emit_json(j);
        return 0;
    }
    print_result(j);
    std::printf(
        "\n%.2f s in all (opening and deploying the point, loading its data), %.3f s for "
        "the edit and the test split\n",
        j["seconds"].get<double>(), j["edit_seconds"].get<double>());
    if (a.save)
        std::printf(
            "saved as point %lld (derived from point %lld): hgq inspect, export, verify "
            "and synth take it like any point\n",
            j["point"].get<long long>(), (long long)a.point);
    else
        std::printf("not saved: add --save to keep it as a point\n");
    return 0;
}

void add_point_tools(CLI::App& app, CompareArgs& c, WhatIfArgs& w) {
    auto* cmp = app.add_subcommand("compare", "Two points side by side, layer by layer");
    cmp->add_option("A", c.a, "Point id (hgq pareto --all)")->required();
    cmp->add_option("B", c.b, "Point id")->required();
    cmp->add_option("--db", c.db, "Study file (default: hgq-study.sqlite here)");
    cmp->add_option("--threads", c.threads, "Threads for the test split (0: all cores)")
        ->check(CLI::NonNegativeNumber);
    cmp->add_flag("--json", c.json, "One JSON object on stdout");
    auto* wi = app.add_subcommand("whatif", "Bit edits on a point: exact EBOPs and accuracy");
    wi->add_option("--point", w.point, "Point id (hgq pareto --all)")->required();
    auto edit = [&w, wi](const std::string& option, const std::string& help) {
        wi->add_option_function<std::string>(
              option,
              [&w, option](const std::string& v) {
                  w.edits.push_back({option, v});
              },
              help)
            ->trigger_on_parse()
            ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    };
    edit("--max-bits",
         "LAYER.weights=K or LAYER.activations=K: drop fractional bits until no element needs "
         "more than K bits (0 prunes); repeatable");
    edit("--shift-f", "LAYER.weights=±N: add or remove N fractional bits everywhere");
    edit("--prune", "LAYER.weights<=K: zero every weight of at most K bits");
    wi->add_flag("--save", w.save, "Store the result as a derived point");
    wi->add_option("--db", w.db, "Study file (default: hgq-study.sqlite here)");
    wi->add_option("--threads", w.threads, "Threads for the test split (0: all cores)")
        ->check(CLI::NonNegativeNumber);
    wi->add_flag("--json", w.json, "One JSON object on stdout");
}

}  // namespace hgq::cli
