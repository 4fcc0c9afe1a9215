// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/points.h"

#include <algorithm>

#include "train/trainer.h"

namespace hgq {

std::vector<FrontPoint> evaluate_front(const Model& like, const std::vector<Checkpoint>& front,
                                       const Splits& data, const DeployOptions& opt) {
    std::vector<FrontPoint> points;
    Model m(like.spec(), like.input_shape(), like.n_classes(), 0);
    for (const Checkpoint& c : front) {
        m.restore(c.snapshot);
        const Deployment dep = deploy(m, data.train.x, opt);
        FrontPoint p;
        p.id = static_cast<int>(points.size()) + 1;
        p.epoch = c.epoch;
        p.beta = c.beta;
        p.val_accuracy = c.val_accuracy;
        p.ebops_train = c.ebops;
        p.ebops_exact = dep.ebops;
        p.lut_estimate = dep.lut_estimate;
        p.adder_levels = dep.adder_levels;
        p.layers = dep.layers;
        p.types = types_json(dep.model);
        // One pass over the test split gives both accuracies and the per-layer diff.
        p.diff = trace_diff(m, dep.model, data.test.x, opt.threads, data.test.y.data());
        const double n = std::max<double>(1.0, double(data.test.size()));
        p.test_accuracy = double(p.diff.fixed_correct) / n;
        p.test_accuracy_float = double(p.diff.float_correct) / n;
        points.push_back(std::move(p));
    }
    return points;
}

nlohmann::json point_report_json(const FrontPoint& p) {
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& l : p.layers) layers.push_back(to_json(l));
    return {{"lut_estimate", p.lut_estimate},
            {"adder_levels", p.adder_levels},
            {"test_accuracy_float", p.test_accuracy_float},
            {"layers", layers},
            {"trace_diff", to_json(p.diff)},
            {"types", p.types}};
}

}  // namespace hgq
