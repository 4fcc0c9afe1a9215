// SPDX-License-Identifier: GPL-3.0-or-later
// The Pareto front and its staircase: pure functions of the points, tested on their own.
#include <algorithm>
#include <cmath>

#include "pareto_plot.h"

namespace hgq::widgets {

QVector<PointView> ParetoPlot::front(const QVector<PointView>& pts, XAxis axis) {
    QVector<PointView> sorted;
    sorted.reserve(pts.size());
    for (const PointView& p : pts)
        if (std::isfinite(x_of(p, axis)) && std::isfinite(p.test_accuracy) &&
            (axis == XAxis::Ebops || p.luts_synth > 0))  // not synthesized: no LUT cost
            sorted.push_back(p);
    std::sort(sorted.begin(), sorted.end(), [axis](const PointView& a, const PointView& b) {
        if (x_of(a, axis) != x_of(b, axis)) return x_of(a, axis) < x_of(b, axis);
        if (a.test_accuracy != b.test_accuracy) return a.test_accuracy > b.test_accuracy;
        return a.id < b.id;
    });
    // Sweep by cost: a point survives only if it beats every cheaper-or-equal point's accuracy,
    // or exactly repeats the point that currently holds the best accuracy.
    QVector<PointView> out;
    for (const PointView& p : sorted) {
        if (out.isEmpty() || p.test_accuracy > out.back().test_accuracy ||
            (p.test_accuracy == out.back().test_accuracy &&
             x_of(p, axis) == x_of(out.back(), axis)))
            out.push_back(p);
    }
    return out;
}

QVector<QPointF> ParetoPlot::frontStaircase(const QVector<PointView>& pts, XAxis axis) {
    QVector<QPointF> corners;
    for (const PointView& p : front(pts, axis)) {
        const QPointF v(x_of(p, axis), 100.0 * p.test_accuracy);
        if (!corners.isEmpty() && corners.back() == v) continue;  // exact duplicate
        if (!corners.isEmpty()) corners.push_back(QPointF(v.x(), corners.back().y()));
        corners.push_back(v);
    }
    return corners;
}

}  // namespace hgq::widgets
