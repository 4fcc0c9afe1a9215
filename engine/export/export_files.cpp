// SPDX-License-Identifier: GPL-3.0-or-later
#include "export/export_files.h"

#include <fstream>

#include "core/error.h"

namespace hgq::exportfs {
namespace fs = std::filesystem;

void prepare_folder(const fs::path& dir, bool overwrite, const std::vector<std::string>& subdirs) {
    std::error_code ec;
    if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
        throw Error::bad_input(dir.string(), "exists and is not a folder", "choose another --out");
    if (fs::exists(dir, ec) && !fs::is_empty(dir, ec) && !overwrite)
        throw Error::bad_input(dir.string(), "is not empty",
                               "choose an empty folder or pass --force to overwrite");
    for (const auto& s : subdirs) fs::create_directories(dir / s, ec);
    if (ec)
        throw Error::bad_input(dir.string(), "cannot create the folder: " + ec.message(),
                               "check the path and its permissions");
}

void write_text(const fs::path& path, const std::string& text, HlsStats& st, const fs::path& root) {
    std::ofstream f(path, std::ios::binary);
    if (!f || !(f << text) || !f.flush())
        throw Error::bad_input(path.string(), "cannot write the file",
                               "check that the folder is writable and the disk is not full");
    st.files.push_back(fs::relative(path, root).string());
}

void write_rows(const fs::path& path, const std::vector<std::vector<int64_t>>& rows, HlsStats& st,
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

}  // namespace hgq::exportfs
