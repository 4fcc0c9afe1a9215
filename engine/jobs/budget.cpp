// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/budget.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "core/error.h"
#include "export/yosys_synth.h"

namespace hgq::jobs {
namespace {

// HGQ v3's fit for shift-add firmware, the LUT estimate every point carries (deploy/report.cpp).
constexpr double kDefaultExponent = 0.985;

std::string with_commas(double v) {
    std::string s = std::to_string(int64_t(std::llround(v)));
    for (int k = int(s.size()) - 3; k > (s[0] == '-' ? 1 : 0); k -= 3) s.insert(size_t(k), ",");
    return s;
}

}  // namespace

std::string LutFit::describe() const {
    char b[200];
    if (!from_study)
        std::snprintf(b, sizeof b, "the default fit LUTs = EBOPs^%.3f (no synthesized points)",
                      fit.exponent);
    else
        std::snprintf(b, sizeof b, "the study's %s calibration (LUTs = %.4g x EBOPs^%.3f, %d points)",
                      family.c_str(), fit.coefficient, fit.exponent, fit.points);
    return b;
}

double LutFit::ebops_for(double luts) const {
    return std::pow(luts / fit.coefficient, 1.0 / fit.exponent);
}

double LutFit::luts_for(double ebops) const { return ebops > 0 ? fit(ebops) : 0; }

LutFit lut_fit(store::Study* study, const std::string& family) {
    if (!family.empty() && !known_synth_family(family))
        throw Error::bad_input("--family " + family, "not a yosys synth_xilinx family",
                               "use xcup (UltraScale+), xcu (UltraScale) or xc7 (7 series)");
    std::vector<store::SynthRecord> all;
    if (study) all = study->syntheses();
    const std::string chosen = family.empty() ? store::main_synth_family(all) : family;
    std::vector<double> x, y;
    for (const auto& r : all)
        if (r.family == chosen) x.push_back(double(r.ebops_exact)), y.push_back(double(r.luts));
    LutFit f;
    f.fit = fit_power_law(x, y);
    if (f.fit.valid() && f.fit.exponent > 0) {
        f.family = chosen, f.from_study = true;
        return f;
    }
    // A study with no syntheses at all: the default fit. One synthesized for other families
    // only: asking for this family is a mistake worth naming, not a silent default.
    if (!family.empty() && !all.empty()) {
        std::map<std::string, int> counts;
        for (const auto& r : all) ++counts[r.family];
        std::string have;
        for (const auto& [fam, n] : counts)
            have += (have.empty() ? "" : ", ") + fam + " (" + std::to_string(n) + ")";
        throw Error::bad_input("--family " + family,
                               "the study has no LUT calibration for " + family + " (" +
                                   std::to_string(x.size()) + " synthesized points; a fit needs 2)",
                               "its syntheses: " + have + "; run hgq synth --front --family " +
                                   family + " first, or pick a family it has");
    }
    f.fit = PowerLaw{1.0, kDefaultExponent, 0, 0};
    return f;
}

namespace {
// A part's LUTs are counted in its own family: that family's fit when the study has one, else
// the default; never another family's.
LutFit fit_or_default(store::Study* study, const std::string& family) {
    try {
        return lut_fit(study, family);
    } catch (const Error&) {
        if (!known_synth_family(family)) throw;
        return LutFit{PowerLaw{1.0, kDefaultExponent, 0, 0}, "", false};
    }
}
}  // namespace

Budget resolve_budget(store::Study* study, const BudgetSpec& spec, const std::string& parts_file) {
    const int given = (spec.ebops > 0) + (spec.luts > 0) + !spec.part.empty();
    if (given != 1)
        throw Error::bad_input("budget", "give exactly one of --budget-ebops, --budget-luts, --part");
    Budget b;
    if (spec.ebops > 0) {
        b.ebops = spec.ebops;
        b.describe = with_commas(spec.ebops) + " EBOPs";
        b.fit = lut_fit(study, spec.family);
        return b;
    }
    if (!(spec.fraction > 0) || spec.fraction > 1)
        throw Error::bad_input("--fraction", "must be in (0, 1]", "e.g. 0.02 for 2 % of the LUTs");
    b.luts = spec.luts;
    if (spec.part.empty()) {
        b.fit = lut_fit(study, spec.family);
    } else {
        const auto parts = load_fpga_parts(parts_file);
        const FpgaPart& p = find_fpga_part(parts, spec.part, parts_file);
        b.luts = std::floor(double(p.luts) * spec.fraction);
        char d[160];
        std::snprintf(d, sizeof d, "%s · %g %% of %s LUTs = ", p.name.c_str(),
                      spec.fraction * 100, with_commas(double(p.luts)).c_str());
        b.describe = d;
        b.fit = spec.family.empty() ? fit_or_default(study, p.family) : lut_fit(study, spec.family);
    }
    b.ebops = b.fit->ebops_for(b.luts);
    b.describe += with_commas(b.luts) + " LUTs";
    return b;
}

std::vector<store::PointRecord> test_front(std::vector<store::PointRecord> pts) {
    std::sort(pts.begin(), pts.end(), [](const auto& a, const auto& b) {
        return a.ebops_exact != b.ebops_exact ? a.ebops_exact < b.ebops_exact
                                              : a.test_accuracy > b.test_accuracy;
    });
    std::vector<store::PointRecord> front;
    double best = -1;
    for (auto& p : pts)
        if (p.test_accuracy > best) {
            best = p.test_accuracy;
            front.push_back(std::move(p));
        }
    return front;
}

std::vector<BudgetPoint> points_within(store::Study& study, const Budget& budget, int64_t run,
                                       bool all) {
    auto pts = study.points(run, false);
    if (!all) pts = test_front(std::move(pts));
    std::map<int64_t, double> synthesized;
    if (budget.fit && budget.fit->from_study)
        for (const auto& s : study.syntheses(run, budget.fit->family))
            synthesized[s.point_id] = double(s.luts);
    std::vector<BudgetPoint> out;
    for (auto& p : pts) {
        BudgetPoint bp{std::move(p), 0, false};
        if (auto it = synthesized.find(bp.point.id); it != synthesized.end())
            bp.luts = it->second, bp.synthesized = true;
        else if (budget.fit)
            bp.luts = budget.fit->luts_for(double(bp.point.ebops_exact));
        const bool fits = budget.luts > 0 ? bp.luts <= budget.luts
                                          : double(bp.point.ebops_exact) <= budget.ebops;
        if (fits) out.push_back(std::move(bp));
    }
    std::stable_sort(out.begin(), out.end(), [](const BudgetPoint& a, const BudgetPoint& b) {
        return a.point.test_accuracy != b.point.test_accuracy
                   ? a.point.test_accuracy > b.point.test_accuracy
                   : a.point.ebops_exact < b.point.ebops_exact;
    });
    return out;
}

}  // namespace hgq::jobs
