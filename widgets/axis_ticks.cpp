// SPDX-License-Identifier: GPL-3.0-or-later
#include "axis_ticks.h"

#include <qcustomplot.h>

namespace hgq::widgets {
namespace {
void choose(QCPAxis* axis, const QCPRange& range) {
    const bool narrow = range.lower > 0 && range.upper / range.lower < 30;
    if (axis->property("hgqNarrowTicks").isValid() &&
        axis->property("hgqNarrowTicks").toBool() == narrow)
        return;
    axis->setProperty("hgqNarrowTicks", narrow);
    if (narrow) {
        auto ticker = QSharedPointer<QCPAxisTicker>::create();
        ticker->setTickCount(5);
        axis->setTicker(ticker);
        axis->setNumberFormat("gb");
        axis->setNumberPrecision(3);
        return;
    }
    auto ticker = QSharedPointer<QCPAxisTickerLog>::create();
    ticker->setLogBase(10);
    ticker->setSubTickCount(8);
    axis->setTicker(ticker);
    axis->setNumberFormat("eb");
    axis->setNumberPrecision(0);
}
}  // namespace

void use_adaptive_log_ticks(QCPAxis* axis) {
    axis->setScaleType(QCPAxis::stLogarithmic);
    choose(axis, axis->range());
    QObject::connect(axis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), axis,
                     [axis](const QCPRange& r) { choose(axis, r); });
}

}  // namespace hgq::widgets
