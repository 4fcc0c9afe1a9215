// SPDX-License-Identifier: GPL-3.0-or-later
// β grids for sweeps, shared by `hgq sweep` and the GUI's sweep setup.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace hgq::store {

// COUNT values from FROM to TO, geometric (β spans decades); errors name `where`.
std::vector<double> beta_grid(double from, double to, int count, const std::string& where);
// "FROM:TO:COUNT" → beta_grid.
std::vector<double> parse_beta_grid(const std::string& spec);

enum class BetaShape { Constant, Ramp };
// Constant: β for the whole run. Ramp: the config's own β schedule scaled so it ends at β, its
// epochs stretched to the run's `epochs`.
void set_beta(nlohmann::json& config, double beta, BetaShape shape, int epochs);

}  // namespace hgq::store
