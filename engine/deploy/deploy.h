// SPDX-License-Identifier: GPL-3.0-or-later
// Deployment (spec §1.3 exact form, §1.6, §3.3, §7): trace activation ranges on calibration data,
// freeze every element's fixed-point type, fuse batch-norm, quantize weights and biases (with the
// RND → TRN bias pre-shift and zeroed biases of fully pruned units) and build the integer model,
// with exact EBOPs, a LUT estimate, a latency estimate and bit statistics per layer.
#pragma once
#include <nlohmann/json.hpp>

#include "deploy/integer_model.h"
#include "nn/model.h"

namespace hgq {

struct DeployOptions {
    double cover_factor = 1.0;  // widen each traced range about its centre (>= 1)
    OMode overflow = OMode::WRAP;
    int batch_size = 4096;
    int threads = 1;
};

struct LayerReport {
    std::string name;
    int64_t ebops = 0;
    double lut_estimate = 0;                // EBOPs^0.985 (HGQ v3's fit for shift-add firmware)
    int adder_levels = 0;                   // adder-tree depth of the layer's slowest output
    std::vector<int64_t> weight_bits_hist;  // count of weights per exact bit-width 0, 1, 2, ...
    std::vector<int64_t> act_bits_hist;     // count of output elements per bit-width
    int64_t weights = 0, pruned_weights = 0, outputs = 0, pruned_outputs = 0;
    std::string weight_type, bias_type;  // smallest containers of all kernel / bias values
    std::string out_types;               // summary of the output types (one, or the range)
};

struct Deployment {
    IntegerModel model;
    std::vector<LayerReport> layers;  // input quantizer first
    int64_t ebops = 0;
    double lut_estimate = 0;
    int adder_levels = 0;
};

// `model` is traced on `calibration` (its registers are reset) and left as of that trace.
Deployment deploy(Model& model, const Mat& calibration, const DeployOptions& opt);
// The per-layer reports and totals of an integer model: deploy() ends with it, and a what-if
// (deploy/whatif.h) gives its edited model to it.
Deployment summarize(IntegerModel im);
// The integer model a study stored with a point (types_json below), on `skeleton`: a model of
// the same network (any deployment of it: only kinds, geometry and patch indices are kept).
// Throws a bad-input Error when the types do not fit the skeleton.
IntegerModel model_from_types(IntegerModel skeleton, const nlohmann::json& types);

// Per-layer comparison of the float (quantized, inference-mode) model and the integer model on
// data: max |float − fixed| of every layer's outputs and the overflow count.
struct TraceDiff {
    std::vector<std::string> layers;
    std::vector<double> max_abs_diff;
    std::vector<int64_t> overflows;
    int64_t argmax_agree = 0, samples = 0;
    // Samples in which nothing overflowed, and how many of those agree: without overflow the
    // integer model must reproduce the float model exactly.
    int64_t clean_samples = 0, clean_agree = 0;
    // With labels: correct predictions of the integer and of the float model.
    int64_t fixed_correct = 0, float_correct = 0;
};
TraceDiff trace_diff(Model& model, const IntegerModel& im, const Mat& x, int threads,
                     const int32_t* labels = nullptr);

nlohmann::json to_json(const LayerReport& r);
nlohmann::json to_json(const TraceDiff& d);
// The full type of every tensor element, for `hgq inspect --json`.
nlohmann::json types_json(const IntegerModel& im);

}  // namespace hgq
