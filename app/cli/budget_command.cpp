// SPDX-License-Identifier: GPL-3.0-or-later
// hgq pareto --budget-ebops N | --budget-luts N [--family F] | --part P [--fraction X]: the
// points that fit a budget, best test accuracy first — "the most accurate model that fits 2 % of
// a VU9P" answered from the study.
#include <cstdio>

#include "cli_common.h"
#include "commands.h"
#include "jobs/budget.h"
#include "run_config.h"
#include "train_report.h"

namespace hgq::cli {

bool has_budget(const StudyArgs& a) {
    return a.budget_ebops > 0 || a.budget_luts > 0 || !a.part.empty();
}

int run_pareto_budget(const StudyArgs& a) {
    store::Study study(study_path(a.db), store::Study::Open::ReadOnly);
    if (a.run >= 0) study.run(a.run);  // a clear error for an unknown run
    const jobs::Budget budget = jobs::resolve_budget(
        &study, {a.budget_ebops, a.budget_luts, a.part, a.fraction, a.family},
        resources_dir() + "/parts.json");
    const auto pts = jobs::points_within(study, budget, a.run, a.all);
    const std::string through = budget.fit ? budget.fit->describe() : "";
    if (a.json) {
        emit_json({{"event", "budget"},
                   {"budget", budget.describe},
                   {"ebops", budget.ebops},
                   {"luts", budget.luts},
                   {"lut_fit", through},
                   {"points", pts.size()}});
        for (const auto& p : pts) {
            nlohmann::json j = point_json(p.point);
            j["event"] = "point";
            j["luts"] = p.luts;
            j["luts_source"] = p.synthesized ? "synthesized" : "estimated";
            emit_json(j);
        }
        return 0;
    }
    std::printf("Budget %s (%s points of %s): %zu within, best test accuracy first\n",
                budget.describe.c_str(), a.all ? "all" : "front", study.path().c_str(),
                pts.size());
    if (!through.empty()) std::printf("LUTs: synthesized where marked *, else through %s\n",
                                      through.c_str());
    std::printf(" point    run  epoch  test acc   EBOPs exact       LUTs\n");
    for (const auto& p : pts)
        std::printf(" %5lld  %5lld  %5d   %6.2f%%  %12lld  %9.0f%s\n", (long long)p.point.id,
                    (long long)p.point.run_id, p.point.epoch, 100 * p.point.test_accuracy,
                    (long long)p.point.ebops_exact, p.luts, p.synthesized ? "*" : "");
    if (pts.empty()) {
        const auto all = jobs::test_front(study.points(a.run, false));
        if (!all.empty())
            std::printf("no point fits: the smallest, point %lld, has %lld exact EBOPs (%.0f LUTs)\n",
                        (long long)all.front().id, (long long)all.front().ebops_exact,
                        budget.fit ? budget.fit->luts_for(double(all.front().ebops_exact)) : 0.0);
    }
    return 0;
}

}  // namespace hgq::cli
