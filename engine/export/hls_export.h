// SPDX-License-Identifier: GPL-3.0-or-later
// HLS export (export spec §0, §1, §2.5): a deployed integer model becomes an hls4ml-style Vitis
// HLS project whose layer bodies are fully unrolled constant shift-and-add code (CSD digits of
// each weight, no multipliers), every tensor typed exactly, and a testbench that compares every
// output code with the codes the app's integer model computed.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "deploy/integer_model.h"

namespace hgq {

struct HlsOptions {
    std::string name = "hgq_model";  // top function and file names
    std::string part = "xcvu13p-flga2577-2-e";
    double clock_ns = 5.0;
    bool overwrite = false;  // allow a non-empty output folder
};

// Test vectors in the exported containers' codes (input_t / result_t), one row per sample.
struct HlsVectors {
    std::vector<std::vector<int64_t>> inputs, outputs;
};

struct HlsStats {
    int64_t adders = 0;           // += / -= nodes emitted in the dense and conv bodies
    int64_t nonzero_weights = 0;  // weights with a non-zero code whose input is not pruned
    int64_t lines = 0;            // lines of firmware C++
    std::vector<std::string> files;
};

// Codes of the model's input and output containers for every row of x (via the integer model).
HlsVectors hls_vectors(const IntegerModel& im, const Mat& x, int threads);

// Writes the project into `dir` (created if missing; a non-empty folder only with overwrite).
// `provenance` (study, run, epoch, β, accuracy, EBOPs, ...) goes into README.md and
// firmware/provenance.json.
HlsStats write_hls_project(const IntegerModel& im, const std::string& dir, const HlsOptions& opt,
                           const HlsVectors& vectors, const nlohmann::json& provenance);

}  // namespace hgq
