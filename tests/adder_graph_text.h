// SPDX-License-Identifier: GPL-3.0-or-later
// The adder-graph figures of an `hgq export --json` report as one line of text, for the export
// tests' summaries: "adders A -> B, adder bits A -> B, depth A -> B (unshared -> shared)".
#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace export_test {

inline std::string adder_graph_text(const nlohmann::json& report) {
    const auto& g = report["adder_graph"];
    const auto pair = [&](const char* key) {
        return std::to_string(g["unshared"][key].get<long long>()) + " -> " +
               std::to_string(g["shared"][key].get<long long>());
    };
    return "adders " + pair("adders") + ", adder bits " + pair("adder_bits") + ", depth " +
           pair("depth") + " (unshared -> shared)";
}

}  // namespace export_test
