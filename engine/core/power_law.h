// SPDX-License-Identifier: GPL-3.0-or-later
// y ≈ c · x^k by least squares on (log x, log y): the calibration of synthesized LUTs against
// exact EBOPs. R² is that of the log–log line.
#pragma once
#include <vector>

namespace hgq {

struct PowerLaw {
    double coefficient = 0, exponent = 0, r2 = 0;
    int points = 0;  // pairs used (x > 0 and y > 0); a fit needs two distinct x
    bool valid() const { return points >= 2; }
    double operator()(double x) const;
};

PowerLaw fit_power_law(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace hgq
