// SPDX-License-Identifier: GPL-3.0-or-later
// The export formats, in one table: what `hgq export --format`, `hgq verify`, the jobs and the
// app's Export dialog all read. A new format is one more row.
#pragma once
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "deploy/integer_model.h"
#include "export/export_checks.h"
#include "export/export_types.h"

namespace hgq {

struct ExportFormat {
    std::string name;      // --format value: "hls", "verilog"
    std::string label;     // for people: the Export dialog's choice
    std::string manifest;  // hgq_export.json "format"
    exportfs::Language language;
    // The test vectors in this format's codes.
    TestVectors (*vectors)(const IntegerModel& im, const Mat& x, int threads);
    // Writes the project (checking its options first) and returns what it wrote.
    ExportStats (*write)(const IntegerModel& im, const std::string& dir, const ExportOptions& opt,
                         const TestVectors& vectors, const nlohmann::json& provenance);
    VerifyResult (*verify)(const std::filesystem::path& dir, const nlohmann::json& manifest,
                           const std::string& emul_dir);
};

const std::vector<ExportFormat>& export_formats();
// The row named `name`; bad input listing the names otherwise (`where`: "--format X").
const ExportFormat& export_format(const std::string& name);
// The row that wrote a manifest; bad input naming `file` otherwise.
const ExportFormat& export_format_of(const nlohmann::json& manifest, const std::string& file);
// "hls|verilog": for help texts.
std::string export_format_names(const char* separator = "|");

}  // namespace hgq
