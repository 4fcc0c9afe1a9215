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
#include "export/export_types.h"

namespace hgq {

inline constexpr const char* kHlsManifestFormat = "hgq-hls-export/1";  // hgq_export.json "format"

// Codes of the model's input and output containers for every row of x (via the integer model).
TestVectors hls_vectors(const IntegerModel& im, const Mat& x, int threads);

// Writes the project into `dir` (created if missing; a non-empty folder only with overwrite).
// `provenance` (study, run, epoch, β, accuracy, EBOPs, ...) goes into README.md and
// hgq_export.json.
ExportStats write_hls_project(const IntegerModel& im, const std::string& dir, const ExportOptions& opt,
                           const TestVectors& vectors, const nlohmann::json& provenance);

}  // namespace hgq
