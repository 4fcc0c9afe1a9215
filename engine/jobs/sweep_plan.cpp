// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/sweep_plan.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "core/error.h"

namespace hgq::jobs {

std::vector<double> beta_grid(double from, double to, int count, const std::string& where) {
    if (!(from > 0) || !(to > 0) || !std::isfinite(from) || !std::isfinite(to) || count < 1 ||
        count > 1000)
        throw Error::bad_input(where, "needs FROM > 0, TO > 0 and 1 <= COUNT <= 1000",
                               "the grid is geometric, so β = 0 cannot be a grid end");
    std::vector<double> betas;
    for (int i = 0; i < count; ++i)
        betas.push_back(count == 1 ? from : from * std::pow(to / from, double(i) / (count - 1)));
    return betas;
}

std::vector<double> parse_beta_grid(const std::string& spec) {
    std::vector<std::string> parts;
    std::stringstream ss(spec);
    for (std::string p; std::getline(ss, p, ':');) parts.push_back(p);
    const std::string where = "--betas " + spec;
    try {
        if (parts.size() != 3) throw std::invalid_argument("parts");
        return beta_grid(std::stod(parts[0]), std::stod(parts[1]), std::stoi(parts[2]), where);
    } catch (const std::logic_error&) {
        throw Error::bad_input(where, "expected FROM:TO:COUNT", "e.g. 1e-6:1e-3:6");
    }
}

std::vector<double> parse_target_grid(const std::string& spec) {
    std::vector<std::string> parts;
    std::stringstream ss(spec);
    for (std::string p; std::getline(ss, p, ':');) parts.push_back(p);
    const std::string where = "--targets " + spec;
    double from = 0, to = 0;
    int count = 0;
    try {
        if (parts.size() != 3) throw std::invalid_argument("parts");
        size_t used = 0;
        from = std::stod(parts[0], &used);
        if (used != parts[0].size()) throw std::invalid_argument("from");
        to = std::stod(parts[1], &used);
        if (used != parts[1].size()) throw std::invalid_argument("to");
        count = std::stoi(parts[2], &used);
        if (used != parts[2].size()) throw std::invalid_argument("count");
    } catch (const std::logic_error&) {
        throw Error::bad_input(where, "expected FROM:TO:COUNT (EBOPs)", "e.g. 1000:10000:4");
    }
    if (!(from > 0) || !(to > 0) || !std::isfinite(from) || !std::isfinite(to) || count < 1 ||
        count > 1000)
        throw Error::bad_input(where, "needs FROM > 0, TO > 0 and 1 <= COUNT <= 1000",
                               "targets are EBOPs counts, e.g. 1000:10000:4");
    return beta_grid(from, to, count, where);
}

double integral_gain_for(int epochs) { return std::max(2e-3, 18.0 / std::max(epochs, 1)); }

void set_target(nlohmann::json& cfg, double target, int epochs) {
    nlohmann::json controller = nlohmann::json::object();
    if (cfg.contains("beta") && cfg["beta"].is_object() && cfg["beta"].contains("controller"))
        controller = cfg["beta"]["controller"];
    else
        controller["i"] = integral_gain_for(epochs), controller["damp_under_target"] = 0.5;
    controller["target_ebops"] = target;
    cfg["beta"] = {{"controller", controller}};
}

void set_beta(nlohmann::json& cfg, double beta, BetaShape shape, int epochs) {
    if (shape == BetaShape::Constant) {
        cfg["beta"] = nlohmann::json::array({{{"until_epoch", epochs}, {"value", beta}}});
        return;
    }
    auto& blocks = cfg["beta"];
    if (!blocks.is_array() || blocks.empty())
        throw Error::bad_input("beta shape ramp", "the config has no beta schedule to scale",
                               "add a \"beta\" list or use a constant β");
    const auto& last = blocks.back();
    const double end = last.value("value", last.value("to", 0.0));
    if (!(end > 0)) throw Error::bad_input("beta shape ramp", "the schedule's final β must be > 0");
    for (auto& b : blocks)
        for (const char* key : {"value", "from", "to"})
            if (b.contains(key)) b[key] = b[key].get<double>() * beta / end;
    // A run shorter or longer than the schedule: stretch the schedule to the run, so the ramp
    // still ends at β on the last epoch.
    const int last_until = blocks.back().value("until_epoch", 0);
    if (epochs <= 0 || last_until <= 0 || last_until == epochs) return;
    int previous = 0;
    for (auto& b : blocks) {
        const int until =
            int(std::lround(double(b.value("until_epoch", last_until)) * epochs / last_until));
        b["until_epoch"] = std::max(previous + 1, until);
        previous = b["until_epoch"].get<int>();
    }
    blocks.back()["until_epoch"] = std::max(previous, epochs);
}

namespace {
RunPlan planned(std::string name, nlohmann::json config, const std::string& config_file) {
    ExperimentConfig parsed = parse_experiment(config, config_file);
    return {std::move(name), std::move(config), std::move(parsed)};
}
}  // namespace

SweepPlan plan_single(nlohmann::json config, ExperimentConfig parsed,
                      const std::string& config_file) {
    SweepPlan plan{parsed.name, config_file, nlohmann::json::object(), true, {}};
    plan.runs.push_back({parsed.name, std::move(config), std::move(parsed)});
    return plan;
}

SweepPlan plan_betas(const nlohmann::json& base, const std::string& config_file,
                     const std::vector<double>& betas, BetaShape shape) {
    const ExperimentConfig parsed = parse_experiment(base, config_file);
    SweepPlan plan{parsed.name, config_file, {{"betas", betas}}, false, {}};
    plan.spec["shape"] = shape == BetaShape::Ramp ? "ramp" : "constant";
    for (double b : betas) {
        nlohmann::json c = base;
        set_beta(c, b, shape, parsed.training.epochs);
        char name[160];
        std::snprintf(name, sizeof name, "%s beta=%.3g%s", parsed.name.c_str(), b,
                      shape == BetaShape::Ramp ? " (ramp)" : "");
        plan.runs.push_back(planned(name, std::move(c), config_file));
    }
    return plan;
}

SweepPlan plan_targets(const nlohmann::json& base, const std::string& config_file,
                       const std::vector<double>& targets) {
    const ExperimentConfig parsed = parse_experiment(base, config_file);
    SweepPlan plan{parsed.name, config_file, {{"targets", targets}}, false, {}};
    for (double t : targets) {
        nlohmann::json c = base;
        set_target(c, t, parsed.training.epochs);
        char name[160];
        std::snprintf(name, sizeof name, "%s target=%.0f", parsed.name.c_str(), t);
        plan.runs.push_back(planned(name, std::move(c), config_file));
    }
    return plan;
}

SweepPlan plan_seeds(const nlohmann::json& base, const std::string& config_file, int count) {
    const ExperimentConfig parsed = parse_experiment(base, config_file);
    SweepPlan plan{parsed.name, config_file, {{"seeds", count}}, false, {}};
    for (int s = 0; s < count; ++s) {
        nlohmann::json c = base;
        const uint64_t seed = parsed.training.seed + uint64_t(s);
        c["training"]["seed"] = seed;
        plan.runs.push_back(planned(parsed.name + " seed=" + std::to_string(seed), c, config_file));
    }
    return plan;
}

CreatedRuns create_runs(store::Study& study, const SweepPlan& plan) {
    std::vector<store::NewRun> runs;
    for (const RunPlan& r : plan.runs)
        runs.push_back({r.name, r.config, plan.config_file, r.parsed.training.seed,
                        r.parsed.training.epochs});
    auto [sweep, ids] = study.create_sweep_runs(
        plan.single ? "" : plan.name.empty() ? "sweep" : plan.name, plan.spec, runs);
    return {sweep, std::move(ids)};
}

}  // namespace hgq::jobs
