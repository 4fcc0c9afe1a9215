// SPDX-License-Identifier: GPL-3.0-or-later
// The HGQ dense golden case (tests/data/hgq_dense_golden.json, defined in its README): every
// tensor of the first training step, the Keras-form Adam trajectory and the exact post-training
// quantities, compared with the engine. Shared by the float64 and float32 test executables.
#pragma once
#include <map>

#include "cost/exact.h"
#include "nn/dense.h"
#include "nn/model.h"
#include "test_util.h"
#include "train/adam.h"

namespace hgq::test {

inline nlohmann::json flatten_params(const nlohmann::json& layered) {
    nlohmann::json snap;
    for (auto& [layer, tensors] : layered.items())
        for (auto& [key, value] : tensors.items()) {
            std::vector<double> flat;
            const Mat m = to_mat(value);
            for (Eigen::Index e = 0; e < m.size(); ++e) flat.push_back(double(m.data()[e]));
            snap[layer][key] = flat;
        }
    return snap;
}

inline void set_gram_statistics(Model& m, bool on) {
    for (auto& layer : m.layers())
        if (auto* d = dynamic_cast<Dense*>(layer.get())) d->set_gram_statistics(on);
}

inline Model golden_model(const nlohmann::json& g, const nlohmann::json& params) {
    ModelSpec spec;
    spec.layers = {{"input_quantizer"}, {"dense", 6, true, true}, {"dense", 3, true, false}};
    spec.weights = {Granularity::PerElement, 2, Rounding::RND};
    spec.activations = {Granularity::PerElement, 2, Rounding::Auto};
    Model m(spec, {4}, 3, 1);
    m.restore(flatten_params(params));
    (void)g;
    return m;
}

inline std::vector<int32_t> golden_labels(const nlohmann::json& g) {
    return g["inputs"]["labels"].get<std::vector<int32_t>>();
}

inline Mat row(const RowVec& v) {
    return Mat(v);
}
inline Mat as_mat(const std::vector<int>& v) {
    Mat m(1, v.size());
    for (size_t i = 0; i < v.size(); ++i) m(0, i) = Scalar(v[i]);
    return m;
}

// Every parameter gradient of the model, by parameter name ("dense1.W"), shaped as in the file.
using GradMap = std::map<std::string, Mat>;
inline GradMap grads_of(Model& m, const nlohmann::json& like) {
    GradMap out;
    for (const Param& p : m.params()) {
        const auto dot = p.name.find('.');
        const Mat shape = to_mat(like[p.name.substr(0, dot)][p.name.substr(dot + 1)]);
        out[p.name] = Eigen::Map<const Mat>(p.grad, shape.rows(), shape.cols());
    }
    return out;
}

inline void check_grads(Comparator& c, const GradMap& grads, const std::string& label,
                        const nlohmann::json& want) {
    for (const auto& [name, g] : grads) {
        const auto dot = name.find('.');
        c.check(label + " " + name, g, want[name.substr(0, dot)][name.substr(dot + 1)]);
    }
}

inline GradMap minus(GradMap a, const GradMap& b) {
    for (auto& [name, g] : a) g -= b.at(name);
    return a;
}

inline void check_params(Comparator& c, Model& m, const std::string& label,
                         const nlohmann::json& want) {
    for (const Param& p : m.params()) {
        const auto dot = p.name.find('.');
        const std::string layer = p.name.substr(0, dot), key = p.name.substr(dot + 1);
        const Mat expected = to_mat(want[layer][key]);
        Mat actual = Eigen::Map<const Mat>(p.value, expected.rows(), expected.cols());
        c.check(label + " " + p.name, actual, want[layer][key]);
    }
}

}  // namespace hgq::test
