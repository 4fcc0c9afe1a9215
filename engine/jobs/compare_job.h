// SPDX-License-Identifier: GPL-3.0-or-later
// `hgq compare` and the app's Compare view: two points side by side as the firmware they stand
// for — both deployed and run on the test split, so the per-layer figures, per-class accuracy,
// confusion matrices and the samples the two classify differently are all exact.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "deploy/deploy.h"
#include "store/study.h"

namespace hgq::jobs {

struct PointSide {
    store::PointRecord point;
    Deployment deployment;
    std::vector<int32_t> predictions;              // (test samples) integer-model argmax
    std::vector<std::vector<int64_t>> confusion;   // (classes, classes): [true][predicted]
    std::vector<double> class_accuracy;            // (classes) recall per true class
    double test_accuracy = 0;
    int64_t luts_synth = -1;  // newest synthesis (the study's main family and mode), -1: none
    std::string synth_family, synth_adder_mode;
};

struct PointComparison {
    PointSide a, b;
    std::vector<std::string> class_names;
    // Samples of the test split the two points classify differently; -1 when the points were
    // trained on different data (then no sample is the same).
    int64_t disagree = -1, samples = 0;
};

PointComparison compare_points(store::Study& study, int64_t a, int64_t b,
                               const std::string& resources_dir, int threads = 1);

// {"a", "b", "layers": [{"layer", "ebops_a", "ebops_b", ...}], "disagree", "samples", "classes"}
nlohmann::json to_json(const PointComparison& c);

}  // namespace hgq::jobs
