// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/compare_job.h"

#include "deploy/report.h"
#include "jobs/open_point.h"

namespace hgq::jobs {
namespace {

void measure(PointSide& s, const Dataset& test, int threads) {
    s.predictions = s.deployment.model.predict(test.x, threads);
    const int C = std::max(1, test.n_classes);
    s.confusion.assign(size_t(C), std::vector<int64_t>(size_t(C), 0));
    int64_t right = 0;
    for (size_t i = 0; i < s.predictions.size(); ++i) {
        const int t = test.y[i], p = s.predictions[i];
        if (t >= 0 && t < C && p >= 0 && p < C) ++s.confusion[size_t(t)][size_t(p)];
        right += t == p;
    }
    s.test_accuracy = s.predictions.empty() ? 0 : double(right) / double(s.predictions.size());
    for (int c = 0; c < C; ++c) {
        int64_t n = 0;
        for (int64_t v : s.confusion[size_t(c)]) n += v;
        s.class_accuracy.push_back(n ? double(s.confusion[size_t(c)][size_t(c)]) / double(n) : 0);
    }
}

// The newest synthesis of the point in the study's main family and adder mode (those its
// calibration and plots use), or any synthesis of it.
void attach_synthesis(PointSide& s, const std::vector<store::SynthRecord>& all) {
    const std::string family = store::main_synth_family(all);
    const std::string mode = store::main_synth_mode(all, family);
    for (const auto& r : all) {
        if (r.point_id != s.point.id) continue;
        const bool main = r.family == family && r.adder_mode == mode;
        if (s.luts_synth < 0 || main) {
            s.luts_synth = r.luts;
            s.synth_family = r.family;
            s.synth_adder_mode = r.adder_mode;
        }
    }
}

PointSide open_side(store::Study& study, int64_t id, const std::string& resources, int threads,
                    Dataset& test) {
    OpenPoint p(study, id, resources, threads);
    PointSide s;
    s.point = p.point();
    s.deployment = p.deployment();
    test = p.data().test;
    measure(s, test, threads);
    return s;
}

}  // namespace

PointComparison compare_points(store::Study& study, int64_t a, int64_t b,
                               const std::string& resources_dir, int threads) {
    PointComparison c;
    Dataset da, db;  // the test splits
    c.a = open_side(study, a, resources_dir, threads, da);
    c.b = open_side(study, b, resources_dir, threads, db);
    const auto syntheses = study.syntheses();
    attach_synthesis(c.a, syntheses);
    attach_synthesis(c.b, syntheses);
    c.class_names = da.class_names;
    c.samples = int64_t(c.a.predictions.size());
    // The same test split: the same run data (fingerprint) and the same labels, sample by sample.
    const bool same =
        study.run(c.a.point.run_id).data_hash == study.run(c.b.point.run_id).data_hash &&
        da.y == db.y && da.x.rows() == db.x.rows();
    if (same) {
        c.disagree = 0;
        for (size_t i = 0; i < c.a.predictions.size(); ++i)
            c.disagree += c.a.predictions[i] != c.b.predictions[i];
    }
    return c;
}

namespace {

nlohmann::json side_json(const PointSide& s) {
    nlohmann::json j = {{"point", s.point.id},
                        {"run", s.point.run_id},
                        {"epoch", s.point.epoch},
                        {"beta", s.point.beta},
                        {"ebops", s.deployment.ebops},
                        {"lut_estimate", s.deployment.lut_estimate},
                        {"adder_levels", s.deployment.adder_levels},
                        {"test_accuracy", s.test_accuracy},
                        {"class_accuracy", s.class_accuracy},
                        {"confusion", s.confusion}};
    if (s.point.derived()) j["parent"] = s.point.parent_id, j["edits"] = s.point.edits;
    if (s.luts_synth >= 0)
        j["luts_synth"] = s.luts_synth, j["synth_family"] = s.synth_family,
        j["synth_adder_mode"] = s.synth_adder_mode;
    return j;
}

void put_layer(nlohmann::json& j, const std::string& side, const LayerReport* r) {
    auto put = [&](const char* key, nlohmann::json v) { j[std::string(key) + "_" + side] = v; };
    if (!r) {
        for (const char* k : {"ebops", "lut_estimate", "mean_weight_bits", "max_weight_bits",
                              "mean_act_bits", "max_act_bits", "weights", "pruned_weights",
                              "outputs", "pruned_outputs", "weight_type", "out_types"})
            put(k, nullptr);
        return;
    }
    put("ebops", r->ebops);
    put("lut_estimate", r->lut_estimate);
    put("mean_weight_bits", mean_bits(r->weight_bits_hist));
    put("max_weight_bits", max_bits(r->weight_bits_hist));
    put("mean_act_bits", mean_bits(r->act_bits_hist));
    put("max_act_bits", max_bits(r->act_bits_hist));
    put("weights", r->weights);
    put("pruned_weights", r->pruned_weights);
    put("outputs", r->outputs);
    put("pruned_outputs", r->pruned_outputs);
    put("weight_type", r->weight_type);
    put("out_types", r->out_types);
}

const LayerReport* find_layer(const Deployment& d, const std::string& name) {
    for (const auto& l : d.layers)
        if (l.name == name) return &l;
    return nullptr;
}

}  // namespace

nlohmann::json to_json(const PointComparison& c) {
    std::vector<std::string> names;
    for (const auto& l : c.a.deployment.layers) names.push_back(l.name);
    for (const auto& l : c.b.deployment.layers)
        if (!find_layer(c.a.deployment, l.name)) names.push_back(l.name);
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& n : names) {
        nlohmann::json j = {{"layer", n}};
        put_layer(j, "a", find_layer(c.a.deployment, n));
        put_layer(j, "b", find_layer(c.b.deployment, n));
        layers.push_back(j);
    }
    return {{"a", side_json(c.a)},
            {"b", side_json(c.b)},
            {"layers", layers},
            {"classes", c.class_names},
            {"samples", c.samples},
            {"disagree", c.disagree < 0 ? nlohmann::json(nullptr) : nlohmann::json(c.disagree)}};
}

}  // namespace hgq::jobs
