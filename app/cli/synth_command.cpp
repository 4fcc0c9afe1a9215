// SPDX-License-Identifier: GPL-3.0-or-later
// hgq synth: yosys synthesis of Verilog exports, counts stored per point, and the power-law
// calibration of synthesized LUTs against exact EBOPs over every synthesized point.
#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "cli_common.h"
#include "commands.h"
#include "core/error.h"
#include "core/power_law.h"
#include "jobs/synth_job.h"
#include "run_config.h"

namespace hgq::cli {
namespace fs = std::filesystem;
namespace {

void report(const store::SynthRecord& r, bool json) {
    if (json) {
        emit_json({{"event", "synth"},
                   {"point", r.point_id},
                   {"dir", r.export_dir},
                   {"family", r.family},
                   {"adder_mode", r.adder_mode},
                   {"ebops_exact", r.ebops_exact},
                   {"test_accuracy", r.test_accuracy},
                   {"luts", r.luts},
                   {"carry", r.carry},
                   {"ff", r.ff},
                   {"muxf", r.muxf},
                   {"cells", r.cells},
                   {"cells_by_type", r.cells_by_type},
                   {"seconds", r.seconds},
                   {"tool", r.tool}});
        return;
    }
    const std::string ebops = r.ebops_exact ? std::to_string(r.ebops_exact) : "-";
    char ratio[32] = "-";
    if (r.ebops_exact) std::snprintf(ratio, sizeof ratio, "%.3f", double(r.luts) / r.ebops_exact);
    std::printf("%6lld %12s %9lld %7lld %7lld %6lld %8s %9.1f\n", (long long)r.point_id,
                ebops.c_str(), (long long)r.luts, (long long)r.carry, (long long)r.ff,
                (long long)r.muxf, ratio, r.seconds);
}

void print_header(bool json) {
    if (!json)
        std::printf("%6s %12s %9s %7s %7s %6s %8s %9s\n", "point", "EBOPs exact", "LUTs", "CARRY",
                    "FF", "MUXF", "LUT/EBOP", "seconds");
}

// The fit over every synthesized point of the study of this family and adder mode: shared and
// unshared adders cost different LUTs per EBOP, so one fit never mixes them.
void print_fit(store::Study& s, const std::string& family, const std::string& mode, bool json) {
    std::vector<double> x, y;
    for (const auto& r : s.syntheses(-1, family, mode))
        x.push_back(double(r.ebops_exact)), y.push_back(double(r.luts));
    const PowerLaw f = fit_power_law(x, y);
    if (json) {
        emit_json({{"event", "calibration"},
                   {"family", family},
                   {"adder_mode", mode},
                   {"points", f.points},
                   {"coefficient", f.coefficient},
                   {"exponent", f.exponent},
                   {"r2", f.r2}});
    } else if (f.valid()) {
        std::printf(
            "calibration over %d synthesized points (%s, %s adders): LUTs = %.4g x EBOPs^%.3f, "
            "R^2 = %.4f\n",
            f.points, family.c_str(), mode.c_str(), f.coefficient, f.exponent, f.r2);
    }
}

// Points to synthesize: the named ones, or the whole front (of one run) not yet synthesized.
std::vector<int64_t> chosen_points(const SynthArgs& a, store::Study& s) {
    if (!a.front) return a.points;
    std::vector<int64_t> done, todo;
    for (const auto& r : s.syntheses(a.run, a.family, a.no_cse ? "unshared" : "shared"))
        done.push_back(r.point_id);
    for (const auto& p : s.points(a.run, false))
        if (a.again || std::find(done.begin(), done.end(), p.id) == done.end())
            todo.push_back(p.id);
    return todo;
}

}  // namespace

int run_synth(const SynthArgs& a) {
    const std::atomic<bool>& stop = install_interrupt_handler();
    SynthOptions opt;
    opt.family = a.family;
    opt.cancel = &stop;
    if (!a.dir.empty() + !a.points.empty() + a.front != 1)
        throw Error::bad_input("hgq synth", "give one of: an export folder, --point, --front",
                               "hgq synth DIR, hgq synth --point ID, or hgq synth --front");
    if (!a.front && (a.run >= 0 || a.again))
        throw Error::bad_input("hgq synth", "--run and --again go with --front");
    if (!a.dir.empty()) {
        print_header(a.json);
        const SynthCounts counts = synthesize_export(a.dir, opt);
        if (a.no_store) {
            report(jobs::to_record(counts), a.json);
            return 0;
        }
        store::Study study(jobs::study_of_export(a.dir, a.db.empty() ? "" : study_path(a.db)),
                           store::Study::Open::Existing);
        report(jobs::record_synthesis(study, counts), a.json);
        print_fit(study, a.family, counts.adder_mode, a.json);
        return 0;
    }
    store::Study study(study_path(a.db), store::Study::Open::Existing);
    const std::vector<int64_t> points = chosen_points(a, study);
    if (points.empty() && !a.json) std::printf("nothing to synthesize\n");
    if (!points.empty()) print_header(a.json);
    for (int64_t id : points) {
        jobs::SynthRequest q;
        q.resources_dir = resources_dir(), q.point = id;
        const fs::path base = a.out.empty() ? fs::path(study.path() + ".synth") : fs::path(a.out);
        q.out_dir = (base / ("point-" + std::to_string(id))).string();
        q.overwrite = true;  // folders under the synth base are this command's own
        q.register_stages = a.stages, q.threads = 2, q.synth = opt;
        q.share_adders = !a.no_cse;
        report(jobs::synth_job(study, q), a.json);
        std::fflush(stdout);
    }
    print_fit(study, a.family, a.no_cse ? "unshared" : "shared", a.json);
    return 0;
}

}  // namespace hgq::cli
