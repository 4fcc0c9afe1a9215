// SPDX-License-Identifier: GPL-3.0-or-later
#include "export/formats.h"

#include "core/error.h"
#include "export/hls_export.h"
#include "export/verify.h"
#include "export/verilog_export.h"

namespace hgq {

const std::vector<ExportFormat>& export_formats() {
    static const std::vector<ExportFormat> formats = {
        {"hls", "Vitis HLS project (C++, shift-and-add)", kHlsManifestFormat,
         exportfs::Language::Cpp, &hls_vectors, &write_hls_project, &verify_hls_project},
        {"verilog", "Verilog-2001 module (adder trees)", kVerilogManifestFormat,
         exportfs::Language::Verilog, &element_vectors, &write_verilog_project,
         &verify_verilog_project},
    };
    return formats;
}

std::string export_format_names(const char* separator) {
    std::string names;
    for (const auto& f : export_formats()) names += (names.empty() ? "" : separator) + f.name;
    return names;
}

const ExportFormat& export_format(const std::string& name) {
    for (const auto& f : export_formats())
        if (f.name == name) return f;
    throw Error::bad_input("--format " + name, "is not an export format",
                           "use one of " + export_format_names(", "));
}

const ExportFormat& export_format_of(const nlohmann::json& manifest, const std::string& file) {
    const std::string m = manifest.value("format", "");
    for (const auto& f : export_formats())
        if (f.manifest == m) return f;
    throw Error::bad_input(file, "names an unknown export format '" + m + "'",
                           "use a folder written by hgq export");
}

}  // namespace hgq
