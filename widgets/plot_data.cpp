// SPDX-License-Identifier: GPL-3.0-or-later
#include "plot_data.h"

#include <QVector>
#include <algorithm>
#include <array>
#include <cmath>

namespace hgq::widgets {
namespace {

// CIE L*a*b* (D65) of an sRGB colour: distances there follow perceived differences.
std::array<double, 3> lab(const QColor& c) {
    auto lin = [](double v) {
        return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    const double r = lin(c.redF()), g = lin(c.greenF()), b = lin(c.blueF());
    const double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    const double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    const double z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    auto f = [](double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116; };
    return {116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))};
}

double distance(const std::array<double, 3>& a, const std::array<double, 3>& b) {
    return std::hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

// Tableau's ten (the first runs keep the colours they always had), then colours generated with
// golden-angle hue steps and three lightness levels, each kept only if it is at least a
// perceptual distance away from every colour before it (and from white, the front's grey and
// the markers' black); the distance is relaxed only when no candidate is left.
QVector<QColor> makePalette(int n) {
    QVector<QColor> out = {QColor(31, 119, 180),  QColor(255, 127, 14),  QColor(44, 160, 44),
                           QColor(214, 39, 40),   QColor(148, 103, 189), QColor(140, 86, 75),
                           QColor(227, 119, 194), QColor(127, 127, 127), QColor(188, 189, 34),
                           QColor(23, 190, 207)};
    QVector<std::array<double, 3>> taken;
    for (const QColor& c : out) taken.push_back(lab(c));
    const QVector<std::array<double, 3>> avoid = {lab(Qt::white), lab(QColor(64, 64, 64)),
                                                  lab(Qt::black)};
    double min_d = 24;
    int step = 0;
    while (out.size() < n) {
        bool added = false;
        for (int tries = 0; tries < 720 && out.size() < n; ++tries, ++step) {
            const double hue = std::fmod(step * 137.50776, 360.0);
            const int level = step % 3;
            const QColor c = QColor::fromHsvF(hue / 360.0, level == 1 ? 0.55 : 0.8,
                                              level == 0   ? 0.85
                                              : level == 1 ? 0.7
                                                           : 0.5);
            const auto l = lab(c);
            bool ok = true;
            for (const auto& t : taken) ok = ok && distance(l, t) >= min_d;
            for (const auto& t : avoid) ok = ok && distance(l, t) >= 20;
            if (!ok) continue;
            out.push_back(c);
            taken.push_back(l);
            added = true;
        }
        if (!added) min_d *= 0.85;
    }
    return out;
}

}  // namespace

// Distinct for many runs: the first 64 colours come from the palette above; past that the hue
// keeps stepping by the golden angle.
QColor run_color(int index) {
    static const QVector<QColor> palette = makePalette(64);
    if (index < 0) index = 0;
    if (index < palette.size()) return palette[index];
    const int level = index % 3;
    return QColor::fromHsvF(std::fmod(index * 137.50776, 360.0) / 360.0, level == 1 ? 0.55 : 0.8,
                            level == 0   ? 0.85
                            : level == 1 ? 0.7
                                         : 0.5);
}

}  // namespace hgq::widgets
