// SPDX-License-Identifier: GPL-3.0-or-later
// Writing an export's files, shared by the HLS and Verilog writers: every failure names the file.
#pragma once
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "export/hls_export.h"

namespace hgq::exportfs {

// Refuses a non-empty folder unless `overwrite`; creates `dir` and its `subdirs`.
void prepare_folder(const std::filesystem::path& dir, bool overwrite,
                    const std::vector<std::string>& subdirs);
// Writes `text` to `path` and lists it (relative to `root`) in the stats.
void write_text(const std::filesystem::path& path, const std::string& text, HlsStats& st,
                const std::filesystem::path& root);
// Test vectors: one row of integer codes per line.
void write_rows(const std::filesystem::path& path, const std::vector<std::vector<int64_t>>& rows,
                HlsStats& st, const std::filesystem::path& root);

// DIR/hgq_export.json (its top function named), or hgq::Error naming the file.
nlohmann::json read_manifest(const std::filesystem::path& dir);

}  // namespace hgq::exportfs
