// SPDX-License-Identifier: GPL-3.0-or-later
#include "export/verify.h"

#include <chrono>
#include <fstream>

#include "core/error.h"
#include "export/export_files.h"
#include "export/formats.h"
#include "core/subprocess.h"

namespace hgq {
namespace fs = std::filesystem;
namespace {
using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}
}  // namespace

namespace {
// Runs a tool with its output captured (stdout and stderr interleaved); returns the exit status.
int run_captured(const std::vector<std::string>& argv, std::string& out) {
    ProcessResult p = run_process(argv, {});
    out += p.output;
    return p.exit_code;
}
}  // namespace

// Verilator builds the module and the harness into DIR/.hgq_vobj and runs it.
VerifyResult verify_verilog_project(const fs::path& dir, const nlohmann::json& m,
                                    const std::string&) {
    const fs::path d = fs::absolute(dir);  // make runs in the object folder
    if (!tool_on_path("verilator"))
        throw Error::runtime("verify", "verilator was not found",
                             "install the Debian package: apt-get install verilator");
    const std::string top = m["top"].get<std::string>();
    const fs::path obj = d / ".hgq_vobj";
    VerifyResult v;
    auto t0 = Clock::now();
    const int cc = run_captured(
        {"verilator", "--cc", "--exe", "--build", "-j", "2", "-O1", "-Wno-fatal", "-Wno-WIDTH",
         "-Wno-UNUSEDSIGNAL", "--Mdir", obj.string(), "--top-module", top, "-CFLAGS",
         "-I" + (d / "verilog").string(), (d / "verilog" / (top + ".v")).string(),
         (d / "verilog" / "harness.cpp").string(),
         // The model is straight-line code with one statement per adder: g++ -O1 on it takes 3×
         // as long as -O0 and saves less than that on any test-vector count we write.
         "-MAKEFLAGS", "OPT_FAST=-O0 OPT_SLOW=-O0 OPT_GLOBAL=-O0", "-o", "vtb"},
        v.output);
    v.compile_seconds = since(t0);
    if (cc != 0) {
        v.exit_code = 3;
        return v;
    }
    t0 = Clock::now();
    v.exit_code = run_captured({(obj / "vtb").string(), (d / "tb_data").string()}, v.output);
    v.run_seconds = since(t0);
    v.passed = v.exit_code == 0;
    return v;
}

namespace {
// Each vector file must hold the rows the export wrote: a cut file would otherwise "pass" on the
// rows left (the testbenches check this too; this names the file before anything compiles).
void check_vector_files(const fs::path& d, const nlohmann::json& m) {
    if (!m.contains("test_vectors") || !m["test_vectors"].is_number_integer()) return;
    const int64_t want = m["test_vectors"].get<int64_t>();
    for (const char* name : {"tb_input_codes.dat", "tb_output_codes.dat"}) {
        const fs::path f = d / "tb_data" / name;
        std::ifstream in(f);
        if (!in) throw Error::bad_input(f.string(), "is missing", "export the point again");
        int64_t rows = 0;
        for (std::string line; std::getline(in, line);) rows += !line.empty();
        if (rows != want)
            throw Error::bad_input(f.string(),
                                   std::to_string(rows) + " test vectors, but the export wrote " +
                                       std::to_string(want) + " (hgq_export.json)",
                                   "the file was cut or edited; export the point again");
    }
}
}  // namespace

VerifyResult verify_hls_project(const fs::path& d, const nlohmann::json& m,
                                const std::string& emul_dir) {
    if (!fs::exists(fs::path(emul_dir) / "ap_fixed.h"))
        throw Error::runtime(emul_dir, "the ap_fixed emulation header is missing",
                             "reinstall HGQ Studio (it ships resources/fx_emul)");
    const std::string top = m["top"].get<std::string>();
    const std::string exe = (d / ".hgq_csim").string();
    VerifyResult v;
    auto t0 = Clock::now();
    const int cc = run_captured(
        {"g++", "-std=c++17", "-O1", "-w", "-I" + emul_dir, "-I" + d.string(),
         (d / "firmware" / (top + ".cpp")).string(), (d / (top + "_test.cpp")).string(), "-o", exe},
        v.output);
    v.compile_seconds = since(t0);
    if (cc == 127)
        throw Error::runtime("verify", "g++ was not found", "install it: apt-get install g++");
    if (cc != 0) {
        v.exit_code = 3;
        return v;
    }
    t0 = Clock::now();
    v.exit_code = run_captured({exe, (d / "tb_data").string()}, v.output);
    v.run_seconds = since(t0);
    v.passed = v.exit_code == 0;
    return v;
}

VerifyResult verify_export(const std::string& dir, const std::string& emul_dir) {
    const fs::path d(dir);
    const nlohmann::json m = exportfs::read_manifest(d);
    const ExportFormat& format = export_format_of(m, (d / "hgq_export.json").string());
    check_vector_files(d, m);
    return format.verify(d, m, emul_dir);
}

}  // namespace hgq
