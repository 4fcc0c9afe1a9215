// SPDX-License-Identifier: GPL-3.0-or-later
// Budgets: what users think in (LUTs, a share of a part) turned into what training steers by
// (EBOPs), and the points of a study that fit one. A LUT count becomes EBOPs through the
// study's LUT calibration (synthesized LUTs = c · EBOPs^k, per synthesis family) or, when the
// study has none, HGQ's default fit LUTs ≈ EBOPs^0.985.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/power_law.h"
#include "cost/fpga_parts.h"
#include "store/study.h"

namespace hgq::jobs {

struct LutFit {
    PowerLaw fit;
    std::string family;     // of the syntheses it was fitted on ("" for the default fit)
    bool from_study = false;
    std::string describe() const;  // "the study's xcup calibration (LUTs = 1.2 × EBOPs^0.97, 8 points)"
    double ebops_for(double luts) const;
    double luts_for(double ebops) const;
};

// The study's fit for `family` ("" = its family with the most syntheses), else the default.
// An explicit family the study has no fit for (or synth_xilinx does not know) is an error.
LutFit lut_fit(store::Study* study, const std::string& family);

// A budget given one way on the command line or in the app, resolved to EBOPs and LUTs.
struct BudgetSpec {
    double ebops = 0, luts = 0;  // exactly one of ebops, luts, part is set
    std::string part;
    double fraction = 1.0;  // of the part's LUTs
    std::string family;     // --family (LUT budgets and parts)
};

struct Budget {
    double ebops = 0;        // the limit a point's exact EBOPs are held to
    double luts = 0;         // the limit in LUTs (0: an EBOPs budget)
    std::string describe;    // "xcvu9p · 2 % of LUTs = 23,645 LUTs"
    std::optional<LutFit> fit;
};

Budget resolve_budget(store::Study* study, const BudgetSpec& spec, const std::string& parts_file);

// The points no other point beats on both exact EBOPs and integer-model test accuracy, by EBOPs.
std::vector<store::PointRecord> test_front(std::vector<store::PointRecord> points);

// A point under a budget: its LUTs synthesized (when the fit's family was synthesized for it)
// or estimated through the fit.
struct BudgetPoint {
    store::PointRecord point;
    double luts = 0;
    bool synthesized = false;
};

// The points (the front, or every point) within `budget`, best test accuracy first; ties: fewer
// EBOPs first.
std::vector<BudgetPoint> points_within(store::Study& study, const Budget& budget, int64_t run,
                                       bool all);

}  // namespace hgq::jobs
