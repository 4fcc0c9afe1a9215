// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/power_law.h"

#include <algorithm>
#include <cmath>

namespace hgq {

double PowerLaw::operator()(double x) const {
    return coefficient * std::pow(x, exponent);
}

PowerLaw fit_power_law(const std::vector<double>& x, const std::vector<double>& y) {
    std::vector<double> lx, ly;
    for (size_t i = 0; i < x.size() && i < y.size(); ++i)
        if (x[i] > 0 && y[i] > 0 && std::isfinite(x[i]) && std::isfinite(y[i]))
            lx.push_back(std::log(x[i])), ly.push_back(std::log(y[i]));
    PowerLaw f;
    const double n = double(lx.size());
    double mx = 0, my = 0;
    for (size_t i = 0; i < lx.size(); ++i) mx += lx[i] / n, my += ly[i] / n;
    double sxx = 0, sxy = 0, syy = 0;
    for (size_t i = 0; i < lx.size(); ++i) {
        sxx += (lx[i] - mx) * (lx[i] - mx);
        sxy += (lx[i] - mx) * (ly[i] - my);
        syy += (ly[i] - my) * (ly[i] - my);
    }
    const auto [lo, hi] = std::minmax_element(lx.begin(), lx.end());
    // One distinct x gives no line; tested on the values, as rounding leaves sxx ~1e-30.
    if (lx.size() < 2 || *hi - *lo < 1e-9) return f;
    f.points = int(lx.size());
    f.exponent = sxy / sxx;
    f.coefficient = std::exp(my - f.exponent * mx);
    // All y equal: the flat line explains everything there is.
    f.r2 = syy > 0 ? 1.0 - (syy - f.exponent * sxy) / syy : 1.0;
    return f;
}

}  // namespace hgq
