// SPDX-License-Identifier: GPL-3.0-or-later
// Planning runs: a single run, a geometric β grid or a set of seeds over one config. Every run's
// config is parsed here, once, so an error names the config file and field before anything is
// stored; create_runs then records the plan in a study. `hgq train`, `hgq sweep` and the app's
// sweep setup all plan through this.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/experiment.h"
#include "store/study.h"

namespace hgq::jobs {

struct RunPlan {
    std::string name;
    nlohmann::json config;  // as stored with the run
    ExperimentConfig parsed;
};

struct SweepPlan {
    std::string name;         // the sweep's (the config's name)
    std::string config_file;  // relative data paths in the configs resolve against it
    nlohmann::json spec;      // what the sweep varies and how it runs, stored with it
    bool single = false;      // one `hgq train` run: no sweep row (sweep id 0)
    std::vector<RunPlan> runs;
};

// COUNT values from FROM to TO, geometric (β spans decades); errors name `where`.
std::vector<double> beta_grid(double from, double to, int count, const std::string& where);
// "FROM:TO:COUNT" → beta_grid.
std::vector<double> parse_beta_grid(const std::string& spec);

// "FROM:TO:COUNT" EBOPs targets (geometric, like β) for --targets.
std::vector<double> parse_target_grid(const std::string& spec);
// β steered to `target` EBOPs. A config with a controller keeps its settings. Otherwise (its β
// schedule is replaced) the integral gain is sized to the run: HGQ2's i = 2e-3 is meant for
// runs of thousands of epochs; the integral must be able to move β by about three decades in a
// third of the run at a typical error of half a decade, so i = max(2e-3, 18 / epochs)
// (0.06 for the 300-epoch digits example). β is halved while under the target
// (damp_under_target 0.5): the integral's overshoot below the target then costs less accuracy
// (digits, targets 1k/3k/10k: the best point under each target 0.3–2.4 points better).
void set_target(nlohmann::json& config, double target_ebops, int epochs);
double integral_gain_for(int epochs);

enum class BetaShape { Constant, Ramp };
// Constant: β for the whole run. Ramp: the config's own β schedule scaled so it ends at β, its
// epochs stretched to the run's `epochs`.
void set_beta(nlohmann::json& config, double beta, BetaShape shape, int epochs);

// One run of a config already parsed (hgq train parsed it to check it).
SweepPlan plan_single(nlohmann::json config, ExperimentConfig parsed,
                      const std::string& config_file);
// One run per β, named "NAME beta=B" (" (ramp)" for ramps).
SweepPlan plan_betas(const nlohmann::json& base, const std::string& config_file,
                     const std::vector<double>& betas, BetaShape shape);
// One run per EBOPs target, named "NAME target=T" (set_target).
SweepPlan plan_targets(const nlohmann::json& base, const std::string& config_file,
                       const std::vector<double>& targets);
// `count` runs with the config's seed, seed+1, …, named "NAME seed=S".
SweepPlan plan_seeds(const nlohmann::json& base, const std::string& config_file, int count);

struct CreatedRuns {
    int64_t sweep = 0;  // 0 for a single run
    std::vector<int64_t> runs;
};
// Records the plan in one transaction: its sweep (unless single) and its runs, queued.
CreatedRuns create_runs(store::Study& study, const SweepPlan& plan);

}  // namespace hgq::jobs
