// SPDX-License-Identifier: GPL-3.0-or-later
#include "calibration_plot.h"

#include <qcustomplot.h>
#include <QLocale>
#include <QMap>
#include <QToolTip>
#include <QVBoxLayout>
#include <cmath>

#include "axis_ticks.h"
#include "plot_marks.h"

namespace hgq::widgets {
namespace {
constexpr double kPickRadiusPx = 8;

QString tooltip(const SynthPointView& p) {
    const QLocale loc;
    return QStringLiteral(
               "<b>point %1</b> (run %2)<br>exact EBOPs: <b>%3</b><br>synthesized LUTs: "
               "<b>%4</b> (%5)<br>LUTs per EBOP: %6<br>test accuracy: %7 %")
        .arg(p.point)
        .arg(p.run)
        .arg(loc.toString(qint64(std::llround(p.ebops))))
        .arg(loc.toString(qint64(std::llround(p.luts))))
        .arg(p.family.toHtmlEscaped())
        .arg(p.ebops > 0 ? p.luts / p.ebops : 0.0, 0, 'f', 3)
        .arg(100 * p.test_accuracy, 0, 'f', 2);
}
}  // namespace

CalibrationPlot::CalibrationPlot(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    plot_->xAxis->setLabel(tr("exact EBOPs"));
    plot_->yAxis->setLabel(tr("synthesized LUTs (yosys synth_xilinx)"));
    for (QCPAxis* a : {plot_->xAxis, plot_->yAxis}) {
        use_log_ticks(a);
        a->grid()->setSubGridVisible(true);
    }
    plot_->legend->setVisible(true);
    plot_->legend->setBrush(QColor(255, 255, 255, 215));
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    caption_ = new QCPItemText(plot_);
    caption_->position->setType(QCPItemPosition::ptAxisRectRatio);
    caption_->position->setCoords(0.02, 0.03);
    caption_->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    caption_->setTextAlignment(Qt::AlignLeft);
    empty_ = add_centre_note(plot_, tr("No synthesized points yet — select a point and press "
                                       "Synthesize\n(or run: hgq synth --front)"));
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    connect(plot_, &QCustomPlot::mouseMove, this, &CalibrationPlot::onMouseMove);
    connect(plot_, &QCustomPlot::mouseDoubleClick, this, [this] {
        user_zoomed_ = false;
        rescale();
        plot_->replot();
    });
    connect(plot_, &QCustomPlot::mousePress, this,
            [this](QMouseEvent* e) { press_pos_ = e->position().toPoint(); });
    connect(plot_, &QCustomPlot::mouseWheel, this, [this] { user_zoomed_ = true; });
    connect(plot_, &QCustomPlot::mouseRelease, this, [this](QMouseEvent* e) {
        if ((e->position().toPoint() - press_pos_).manhattanLength() > 3) {
            user_zoomed_ = true;  // a drag pans: keep the view
            return;
        }
        const int i = nearest(e->position());
        if (i >= 0) emit pointClicked(points_[i].point);
    });
    rebuild();
}

QString CalibrationPlot::fitText() const {
    if (!fit_.valid) return points_.isEmpty() ? QString() : tr("a fit needs two distinct EBOPs");
    const QString law =
        tr("LUTs = %1 · EBOPs^%2").arg(fit_.coefficient, 0, 'g', 4).arg(fit_.exponent, 0, 'f', 3);
    // A power law has two parameters: through two points it passes exactly, so R² = 1 says
    // nothing; with few points or a low R² the line is a rough guide only.
    if (fit_.points < 3)
        return tr("%1   (%2 points, %3)\nthe fit passes through both points — R² says nothing; "
                  "synthesize more points")
            .arg(law)
            .arg(fit_.points)
            .arg(fit_.family);
    QString caution;
    if (fit_.r2 < 0.9)
        caution = tr("\nweak fit: a rough guide only");
    else if (fit_.points < 5)
        caution = tr("\nfew points: synthesize more to trust it");
    return tr("%1   R² = %2   (%3 points, %4)%5")
        .arg(law)
        .arg(fit_.r2, 0, 'f', 4)
        .arg(fit_.points)
        .arg(fit_.family)
        .arg(caution);
}

void CalibrationPlot::setData(const QVector<SynthPointView>& points, const PowerFitView& fit) {
    points_ = points;
    fit_ = fit;
    rebuild();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void CalibrationPlot::rebuild() {
    plot_->clearGraphs();
    QMap<qint64, QCPGraph*> by_run;
    for (const SynthPointView& p : points_) {
        if (p.ebops <= 0 || p.luts <= 0) continue;
        QCPGraph*& g = by_run[p.run];
        if (!g) {
            const QColor c = run_color(p.color_index >= 0 ? p.color_index : int(by_run.size()) - 1);
            g = plot_->addGraph();
            g->setName(tr("run %1").arg(p.run));
            g->setLineStyle(QCPGraph::lsNone);
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(c, 1.2),
                                               QColor(c.red(), c.green(), c.blue(), 150), 8));
        }
        g->addData(p.ebops, p.luts);
    }
    if (!user_zoomed_) rescale();
    const QCPRange x = plot_->xAxis->range();
    auto line = [&](const QString& name, const QPen& pen, auto f) {
        QCPGraph* g = plot_->addGraph();
        g->setName(name);
        g->setPen(pen);
        for (int i = 0; i <= 40; ++i) {
            const double e = x.lower * std::pow(x.upper / x.lower, i / 40.0);
            g->addData(e, f(e));
        }
    };
    line(tr("1 LUT per EBOP"), QPen(QColor(150, 150, 150), 1, Qt::DashLine),
         [](double e) { return e; });
    if (fit_.valid)
        line(tr("power-law fit"), QPen(QColor(200, 60, 40), 1.8),
             [this](double e) { return fit_.coefficient * std::pow(e, fit_.exponent); });
    ring_ = add_selection_ring(plot_);
    updateRing();
    caption_->setText(fitText());
    const bool cautious = fit_.valid && (fit_.points < 5 || fit_.r2 < 0.9);
    caption_->setColor(cautious ? QColor(150, 75, 0) : Qt::black);
    empty_->setVisible(by_run.isEmpty());
}

void CalibrationPlot::setSelectedPoint(qint64 point) {
    if (point == selected_) return;
    selected_ = point;
    updateRing();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void CalibrationPlot::updateRing() {
    ring_->data()->clear();
    for (const SynthPointView& p : points_)
        if (p.point == selected_ && p.ebops > 0 && p.luts > 0) ring_->addData(p.ebops, p.luts);
}

void CalibrationPlot::rescale() {
    double x0 = INFINITY, x1 = 0, y0 = INFINITY, y1 = 0;
    for (const SynthPointView& p : points_)
        if (p.ebops > 0 && p.luts > 0) {
            x0 = std::min(x0, p.ebops), x1 = std::max(x1, p.ebops);
            y0 = std::min(y0, p.luts), y1 = std::max(y1, p.luts);
        }
    if (x1 == 0) x0 = 1e2, x1 = 1e5, y0 = 1e2, y1 = 1e5;
    plot_->xAxis->setRange(x0 / 1.6, x1 * 1.6);
    plot_->yAxis->setRange(std::min(x0, y0) / 1.6, std::max(x1, y1) * 1.6);
}

int CalibrationPlot::nearest(const QPointF& pixel) const {
    int best = -1;
    double best_d2 = kPickRadiusPx * kPickRadiusPx;
    for (int i = 0; i < points_.size(); ++i) {
        const QPointF at = pixelOf(points_[i].point);
        const double d2 = std::pow(at.x() - pixel.x(), 2) + std::pow(at.y() - pixel.y(), 2);
        if (at.x() >= 0 && d2 <= best_d2) best_d2 = d2, best = i;
    }
    return best;
}

QPointF CalibrationPlot::pixelOf(qint64 point) const {
    for (const SynthPointView& p : points_)
        if (p.point == point && p.ebops > 0 && p.luts > 0)
            return {plot_->xAxis->coordToPixel(p.ebops), plot_->yAxis->coordToPixel(p.luts)};
    return {-1, -1};
}

void CalibrationPlot::onMouseMove(QMouseEvent* e) {
    const int i = e->buttons() == Qt::NoButton ? nearest(e->position()) : -1;
    if (i < 0)
        QToolTip::hideText();
    else
        QToolTip::showText(e->globalPosition().toPoint(), tooltip(points_[i]), plot_);
}

}  // namespace hgq::widgets
