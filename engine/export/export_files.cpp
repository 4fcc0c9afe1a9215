// SPDX-License-Identifier: GPL-3.0-or-later
#include "export/export_files.h"

#include <unistd.h>

#include <fstream>

#include "core/error.h"

namespace hgq::exportfs {
namespace fs = std::filesystem;

namespace {
fs::path without_trailing_slash(const fs::path& p) {
    fs::path d = fs::absolute(p).lexically_normal();
    return d.filename().empty() ? d.parent_path() : d;
}

[[noreturn]] void cannot(const fs::path& p, const std::string& what, const std::error_code& ec) {
    throw Error::bad_input(p.string(), what + ": " + ec.message(),
                           "check the path and its permissions");
}
}  // namespace

StagedFolder::StagedFolder(const fs::path& dir, bool overwrite,
                           const std::vector<std::string>& subdirs)
    : dir_(without_trailing_slash(dir)) {
    std::error_code ec;
    if (fs::exists(dir_, ec) && !fs::is_directory(dir_, ec))
        throw Error::bad_input(dir.string(), "exists and is not a folder", "choose another --out");
    if (fs::exists(dir_, ec) && !fs::is_empty(dir_, ec)) {
        if (!overwrite)
            throw Error::bad_input(dir.string(), "is not empty",
                                   "choose an empty folder or pass --force to replace an "
                                   "earlier export");
        if (!fs::exists(dir_ / "hgq_export.json"))
            throw Error::bad_input(dir.string(),
                                   "is not empty and holds no earlier export (no "
                                   "hgq_export.json): --force only replaces an export",
                                   "choose an empty or new folder");
    }
    fs::create_directories(dir_.parent_path(), ec);
    if (ec) cannot(dir_.parent_path(), "cannot create the folder", ec);
    staging_ = dir_.parent_path() /
               ("." + dir_.filename().string() + ".hgq-partial-" + std::to_string(::getpid()));
    fs::remove_all(staging_, ec);  // left by an earlier process with this pid
    for (const auto& s : subdirs) fs::create_directories(staging_ / s, ec);
    if (ec) cannot(staging_, "cannot create the folder", ec);
}

StagedFolder::~StagedFolder() {
    std::error_code ec;
    if (!committed_) fs::remove_all(staging_, ec);
}

void StagedFolder::commit() {
    std::error_code ec;
    if (fs::exists(dir_, ec) && fs::is_empty(dir_, ec)) {
        // The user's own empty folder stays (its permissions, a shell's working directory):
        // the export moves into it.
        for (const auto& e : fs::directory_iterator(staging_)) {
            fs::rename(e.path(), dir_ / e.path().filename(), ec);
            if (ec) cannot(dir_, "cannot move the export into place", ec);
        }
        fs::remove(staging_, ec);
    } else if (fs::exists(dir_, ec)) {
        // An earlier export: swapped out whole, then deleted.
        const fs::path old = staging_.string() + "-old";
        fs::rename(dir_, old, ec);
        if (ec) cannot(dir_, "cannot replace the earlier export", ec);
        fs::rename(staging_, dir_, ec);
        if (ec) {
            std::error_code back;
            fs::rename(old, dir_, back);
            cannot(dir_, "cannot move the export into place", ec);
        }
        fs::remove_all(old, ec);
    } else {
        fs::rename(staging_, dir_, ec);
        if (ec) cannot(dir_, "cannot move the export into place", ec);
    }
    committed_ = true;
}

void write_text(const fs::path& path, const std::string& text, ExportStats& st, const fs::path& root) {
    std::ofstream f(path, std::ios::binary);
    if (!f || !(f << text) || !f.flush())
        throw Error::bad_input(path.string(), "cannot write the file",
                               "check that the folder is writable and the disk is not full");
    st.files.push_back(fs::relative(path, root).string());
}

void write_rows(const fs::path& path, const std::vector<std::vector<int64_t>>& rows, ExportStats& st,
                const fs::path& root) {
    std::string s;
    for (const auto& r : rows) {
        for (size_t i = 0; i < r.size(); ++i) {
            if (i) s += ' ';
            s += std::to_string(r[i]);
        }
        s += '\n';
    }
    write_text(path, s, st, root);
}

nlohmann::json read_manifest(const fs::path& dir) {
    std::ifstream mf(dir / "hgq_export.json");
    const nlohmann::json m = nlohmann::json::parse(mf, nullptr, false);
    if (m.is_discarded() || !m.contains("top") || !m["top"].is_string())
        throw Error::bad_input((dir / "hgq_export.json").string(),
                               "missing or not an HGQ Studio export manifest",
                               "use a folder written by hgq export");
    return m;
}

std::string adder_section(const nlohmann::json& m) {
    if (!m.contains("adder_graph")) return "";
    const nlohmann::json& g = m["adder_graph"];
    const auto row = [&](const char* mode, const char* label) {
        const nlohmann::json& c = g[mode];
        return std::string("| ") + label + " | " + c["adders"].dump() + " | " +
               c["adder_bits"].dump() + " | " + c["depth"].dump() + " |\n";
    };
    const bool shared = m.value("shared_adders", true);
    return std::string(
               "\n## Adders\n\nThe fully unrolled shift-and-add graph (every conv "
               "position its own adders). Written: ") +
           (shared ? "shared" : "unshared (`--no-cse`)") +
           ".\n\n| adder graph | adders | adder bits | depth (adder levels) "
           "|\n|---|---|---|---|\n" +
           row("shared", "shared subexpressions") + row("unshared", "one tree per output");
}

}  // namespace hgq::exportfs
