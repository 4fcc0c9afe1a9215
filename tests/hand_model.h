// SPDX-License-Identifier: GPL-3.0-or-later
// A tiny model whose every bit count, EBOPs term and integer code is worked out by hand in
// test_quantizer.cpp and test_deploy.cpp: input(2) -> dense 2 (ReLU) -> dense 2, no batch-norm.
#pragma once
#include <nlohmann/json.hpp>

#include "nn/model.h"

namespace hgq::test {

inline Model hand_model() {
    ModelSpec spec;
    spec.layers = {{"input_quantizer"}, {"dense", 2, false, true}, {"dense", 2, false, false}};
    Model m(spec, {2}, 2, 1);
    m.restore(nlohmann::json::parse(R"({
        "input": {"F": [2, 1]},
        "dense1": {"W": [0.75, 0.5, 0, 1.5], "b": [0, 0], "F_w": [2, 2, 2, 2], "F_a": [2, 2]},
        "dense2": {"W": [1, 0.25, 0.5, 0], "b": [0, 0], "F_w": [3, 3, 3, 3], "F_a": [2, 2]}})"));
    return m;
}

inline Mat hand_batch() {
    Mat x(2, 2);
    x << 1.0, -0.5, 0.25, 1.5;
    return x;
}

}  // namespace hgq::test
