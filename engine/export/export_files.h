// SPDX-License-Identifier: GPL-3.0-or-later
// Writing an export's files, shared by the HLS and Verilog writers: every failure names the file.
#pragma once
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "export/hls_export.h"

namespace hgq::exportfs {

// An export folder written whole or not at all. Files are written into a hidden sibling of
// `dir`, which takes the place of `dir` only at commit(): a failure or a kill never leaves a
// partial export, and a replaced export keeps none of its old files. `dir` must be missing or
// empty; with `overwrite`, it may instead hold an earlier export (an hgq_export.json) — never
// anything else, so --force cannot wipe a folder of the user's.
class StagedFolder {
  public:
    StagedFolder(const std::filesystem::path& dir, bool overwrite,
                 const std::vector<std::string>& subdirs);
    ~StagedFolder();  // removes the staging folder unless committed
    StagedFolder(const StagedFolder&) = delete;
    StagedFolder& operator=(const StagedFolder&) = delete;
    const std::filesystem::path& path() const { return staging_; }  // write here
    void commit();

  private:
    std::filesystem::path dir_, staging_;
    bool committed_ = false;
};
// Writes `text` to `path` and lists it (relative to `root`) in the stats.
void write_text(const std::filesystem::path& path, const std::string& text, ExportStats& st,
                const std::filesystem::path& root);
// Test vectors: one row of integer codes per line.
void write_rows(const std::filesystem::path& path, const std::vector<std::vector<int64_t>>& rows,
                ExportStats& st, const std::filesystem::path& root);

// DIR/hgq_export.json (its top function named), or hgq::Error naming the file.
nlohmann::json read_manifest(const std::filesystem::path& dir);

// The README's "Adders" section from the manifest's "adder_graph" (empty without it).
std::string adder_section(const nlohmann::json& manifest);

}  // namespace hgq::exportfs
