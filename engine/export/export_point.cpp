// SPDX-License-Identifier: GPL-3.0-or-later
#include "export/export_point.h"

#include <chrono>
#include <filesystem>
#include <fstream>

#include "config/experiment.h"
#include "core/error.h"
#include "deploy/deploy.h"
#include "export/export_checks.h"
#include "export/export_files.h"
#include "export/subprocess.h"
#include "store/run_executor.h"
#include "store/study.h"

namespace hgq {
namespace fs = std::filesystem;
namespace {
using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

ExportResult export_point(const ExportRequest& r) {
    const auto t0 = Clock::now();
    // The options first: a typo costs no deployment. (The writers check the name again against
    // the model's layer names.)
    const bool verilog_format = r.format == "verilog";
    exportfs::check_top_name(r.hls.name.empty() ? "hgq_model" : r.hls.name,
                             verilog_format ? exportfs::Language::Verilog : exportfs::Language::Cpp,
                             {});
    exportfs::check_part(r.hls.part);
    exportfs::check_clock_ns(r.hls.clock_ns);
    store::Study study(r.study, store::Study::Open::Existing);
    const store::PointRecord p = study.point(r.point);
    const store::RunRecord run = study.run(p.run_id);
    const ExperimentConfig cfg = parse_experiment(run.config, run.config_file);
    const Splits data = load_experiment_data(cfg, r.resources_dir);
    store::check_same_data(r.study, run, data);
    Model model = store::build_run_model(cfg, data);
    model.restore(study.point_snapshot(r.point));
    DeployOptions dep_opt;
    dep_opt.threads = r.threads;
    const Deployment dep = deploy(model, data.train.x, dep_opt);
    if (dep.ebops != p.p.ebops_exact)
        throw Error::runtime(r.study + ": point " + std::to_string(r.point),
                             "re-deploying gives " + std::to_string(dep.ebops) +
                                 " exact EBOPs, the study recorded " +
                                 std::to_string(p.p.ebops_exact),
                             "the data set changed since training; restore it to export");
    const int64_t n =
        r.vectors > 0 ? std::min<int64_t>(r.vectors, data.test.size()) : data.test.size();
    const bool verilog = r.format == "verilog";
    if (!verilog && r.format != "hls")
        throw Error::bad_input("--format " + r.format, "unknown export format",
                               "use hls or verilog");
    const HlsVectors vec = verilog ? element_vectors(dep.model, data.test.x.topRows(n), r.threads)
                                   : hls_vectors(dep.model, data.test.x.topRows(n), r.threads);
    HlsOptions opt = r.hls;
    if (opt.name.empty()) opt.name = "hgq_model";  // checked by the writer, never mangled
    const nlohmann::json provenance = {{"study", fs::absolute(r.study).string()},
                                       {"run", run.id},
                                       {"run_name", run.name},
                                       {"point", p.id},
                                       {"epoch", p.p.epoch},
                                       {"beta", p.p.beta},
                                       {"test_accuracy", p.p.test_accuracy},
                                       {"ebops_exact", p.p.ebops_exact},
                                       {"lut_estimate", p.p.lut_estimate},
                                       {"config", run.config}};
    ExportResult res;
    if (verilog) {
        VerilogOptions vo{opt.name, r.register_stages, opt.overwrite, opt.part};
        res.stats = write_verilog_project(dep.model, r.out_dir, vo, vec, provenance);
    } else {
        res.stats = write_hls_project(dep.model, r.out_dir, opt, vec, provenance);
    }
    res.vectors = n;
    res.manifest = exportfs::read_manifest(r.out_dir);
    res.seconds = since(t0);
    study.record_export(r.point, r.format, fs::absolute(r.out_dir).string(),
                        {{"adders", res.stats.adders}, {"vectors", n}, {"seconds", res.seconds}});
    return res;
}

namespace {
// Runs a tool with its output captured (stdout and stderr interleaved); returns the exit status.
int run_captured(const std::vector<std::string>& argv, std::string& out) {
    ProcessResult p = run_process(argv, {});
    out += p.output;
    return p.exit_code;
}
}  // namespace

// Verilator builds the module and the harness into DIR/.hgq_vobj and runs it.
static VerifyResult verify_verilog(const fs::path& dir, const nlohmann::json& m) {
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

VerifyResult verify_hls(const std::string& dir, const std::string& emul_dir) {
    const fs::path d(dir);
    const nlohmann::json m = exportfs::read_manifest(d);
    check_vector_files(d, m);
    if (m.value("format", "") == "hgq-verilog-export/1") return verify_verilog(d, m);
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

}  // namespace hgq
