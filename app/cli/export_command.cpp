// SPDX-License-Identifier: GPL-3.0-or-later
// hgq export --point ID --out DIR: a study's point as a project of one of the export formats,
// bit-exact with the integer model; hgq verify DIR: replay its vectors without vendor tools.
#include <cstdio>

#include "cli_common.h"
#include "commands.h"
#include "core/error.h"
#include "export/verify.h"
#include "jobs/export_job.h"
#include "run_config.h"

namespace hgq::cli {

int run_export(const ExportArgs& a) {
    jobs::ExportRequest r;
    r.format = a.format;
    r.out_dir = a.out;
    r.resources_dir = resources_dir();
    r.point = a.point;
    r.vectors = a.vectors;
    r.threads = 2;
    r.options.name = a.name;
    r.options.part = a.part;
    r.options.clock_ns = a.clock_ns;
    r.options.register_stages = a.stages;
    r.options.overwrite = a.force;
    r.options.share_adders = !a.no_cse;
    r.options.max_extra_depth = a.cse_depth;
    store::Study study(study_path(a.db), store::Study::Open::Existing);
    const jobs::ExportResult res = jobs::export_job(study, r);
    if (a.json) {
        emit_json({{"event", "export"},
                   {"point", a.point},
                   {"out", a.out},
                   {"files", res.stats.files},
                   {"adders", res.stats.adders},
                   {"nonzero_weights", res.stats.nonzero_weights},
                   {"lines", res.stats.lines},
                   {"shared_adders", res.stats.shared},
                   {"adder_graph", res.manifest.value("adder_graph", nlohmann::json())},
                   {"vectors", res.vectors},
                   {"seconds", res.seconds}});
        return 0;
    }
    std::printf(
        "point %lld exported to %s in %.2f s: %zu files, %lld lines of firmware,\n"
        "%lld adders for %lld non-zero weights, %lld test vectors.\n"
        "Verify without Vitis: hgq verify %s\n",
        (long long)a.point, a.out.c_str(), res.seconds, res.stats.files.size(),
        (long long)res.stats.lines, (long long)res.stats.adders,
        (long long)res.stats.nonzero_weights, (long long)res.vectors, a.out.c_str());
    const AdderCost &sh = res.stats.with_sharing, &un = res.stats.without_sharing;
    std::printf(
        "adder graph %s: shared %lld adders, %lld adder bits, depth %lld; "
        "unshared %lld adders, %lld adder bits, depth %lld\n",
        res.stats.shared ? "written shared" : "written unshared (--no-cse)", (long long)sh.adders,
        (long long)sh.bits, (long long)sh.depth, (long long)un.adders, (long long)un.bits,
        (long long)un.depth);
    return 0;
}

int run_verify(const VerifyArgs& a) {
    const VerifyResult v = verify_export(a.dir, resources_dir() + "/fx_emul");
    if (a.json) {
        emit_json({{"event", "verify"},
                   {"dir", a.dir},
                   {"passed", v.passed},
                   {"exit_code", v.exit_code},
                   {"compile_seconds", v.compile_seconds},
                   {"run_seconds", v.run_seconds},
                   {"output", v.output}});
    } else {
        std::fputs(v.output.c_str(), stdout);
        std::printf("compile %.2f s, run %.2f s: %s\n", v.compile_seconds, v.run_seconds,
                    v.passed           ? "bit-exact"
                    : v.exit_code == 3 ? "DID NOT COMPILE"
                                       : "MISMATCH");
    }
    return v.passed ? 0 : 1;
}

}  // namespace hgq::cli
