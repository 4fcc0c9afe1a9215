// SPDX-License-Identifier: GPL-3.0-or-later
#include "deploy/evaluate.h"

#include <algorithm>

namespace hgq {

PointEvaluation evaluate_point(Model& model, const Splits& data, const DeployOptions& opt) {
    PointEvaluation e;
    e.deployment = deploy(model, data.train.x, opt);
    e.types = types_json(e.deployment.model);
    // One pass over the test split gives both accuracies and the per-layer diff.
    e.diff = trace_diff(model, e.deployment.model, data.test.x, opt.threads, data.test.y.data());
    const double n = std::max<double>(1.0, double(data.test.size()));
    e.test_accuracy = double(e.diff.fixed_correct) / n;
    e.test_accuracy_float = double(e.diff.float_correct) / n;
    return e;
}

nlohmann::json report_json(const PointEvaluation& e) {
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& l : e.deployment.layers) layers.push_back(to_json(l));
    return {{"lut_estimate", e.deployment.lut_estimate},
            {"adder_levels", e.deployment.adder_levels},
            {"test_accuracy_float", e.test_accuracy_float},
            {"layers", layers},
            {"trace_diff", to_json(e.diff)},
            {"types", e.types}};
}

}  // namespace hgq
