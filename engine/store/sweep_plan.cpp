// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/sweep_plan.h"

#include <cmath>
#include <sstream>

#include "core/error.h"

namespace hgq::store {

std::vector<double> beta_grid(double from, double to, int count, const std::string& where) {
    if (!(from > 0) || !(to > 0) || count < 1 || count > 1000)
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

}  // namespace hgq::store
