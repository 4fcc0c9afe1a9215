// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/whatif_job.h"

#include <algorithm>

#include "deploy/evaluate.h"
#include "deploy/report.h"
#include "jobs/front.h"

namespace hgq::jobs {
namespace {

double accuracy(const std::vector<int32_t>& pred, const std::vector<int32_t>& labels) {
    int64_t right = 0;
    for (size_t i = 0; i < pred.size() && i < labels.size(); ++i) right += pred[i] == labels[i];
    return pred.empty() ? 0.0 : double(right) / double(pred.size());
}

nlohmann::json layer_json(const LayerReport& now, const LayerReport* before) {
    nlohmann::json j = to_json(now);
    j.erase("weight_bits_hist");
    j.erase("act_bits_hist");
    j["ebops_before"] = before ? before->ebops : 0;
    j["mean_weight_bits"] = mean_bits(now.weight_bits_hist);
    j["max_weight_bits"] = max_bits(now.weight_bits_hist);
    j["mean_act_bits"] = mean_bits(now.act_bits_hist);
    j["max_act_bits"] = max_bits(now.act_bits_hist);
    return j;
}

}  // namespace

WhatIf::WhatIf(store::Study& study, int64_t point, std::string resources_dir, int threads)
    : open_(study, point, std::move(resources_dir), threads, true), threads_(threads) {}

std::vector<std::string> WhatIf::tensors() {
    return editable_tensors(open_.trained_deployment().model);
}

void WhatIf::check(const std::vector<TensorEdit>& edits) {
    check_edits(open_.trained_deployment().model, edits);
}

WhatIfResult WhatIf::evaluate(const std::vector<TensorEdit>& edits) {
    check(edits);
    WhatIfResult r;
    r.edits = open_.edits();
    r.edits.insert(r.edits.end(), edits.begin(), edits.end());
    r.deployment =
        summarize(apply_edits(open_.trained_deployment().model, open_.kernels(), r.edits));
    const Splits& data = open_.data();
    r.predictions = r.deployment.model.predict(data.test.x, threads_);
    r.test_accuracy = accuracy(r.predictions, data.test.y);
    return r;
}

int64_t WhatIf::save(store::Study& study, const WhatIfResult& r) {
    const Splits& data = open_.data();
    PointEvaluation e;
    e.deployment = r.deployment;
    e.types = types_json(e.deployment.model);
    e.diff =
        trace_diff(open_.model(), e.deployment.model, data.test.x, threads_, data.test.y.data());
    const double n = std::max<double>(1.0, double(data.test.size()));
    e.test_accuracy = double(e.diff.fixed_correct) / n;
    e.test_accuracy_float = double(e.diff.float_correct) / n;
    store::CheckpointRecord c;  // the parent's training metrics; the store copies them
    store::PointRecord p = point_record(c, e, 0);
    p.parent_id = point().id;
    p.edits = edits_json(r.edits);
    p.report["parent"] = p.parent_id;
    p.report["edits"] = p.edits;
    return study.record_derived_point(p);
}

nlohmann::json WhatIf::to_json(const WhatIfResult& r) {
    const store::PointRecord& before = point();
    const std::vector<LayerReport>& was = open_.deployment().layers;
    nlohmann::json layers = nlohmann::json::array();
    for (const LayerReport& l : r.deployment.layers) {
        const auto it = std::find_if(was.begin(), was.end(),
                                     [&l](const LayerReport& w) { return w.name == l.name; });
        layers.push_back(layer_json(l, it == was.end() ? nullptr : &*it));
    }
    return {{"parent", before.id},
            {"edits", edits_json(r.edits)},
            {"ebops_before", before.ebops_exact},
            {"ebops", r.deployment.ebops},
            {"test_accuracy_before", before.test_accuracy},
            {"test_accuracy", r.test_accuracy},
            {"lut_estimate_before", before.lut_estimate},
            {"lut_estimate", r.deployment.lut_estimate},
            {"adder_levels_before", before.adder_levels},
            {"adder_levels", r.deployment.adder_levels},
            {"layers", layers}};
}

}  // namespace hgq::jobs
