// SPDX-License-Identifier: GPL-3.0-or-later
#include "pareto_plot.h"

#include <qcustomplot.h>
#include <QHash>
#include <QSet>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "plot_marks.h"

namespace hgq::widgets {

namespace {
constexpr int kReplotDelayMs = 33;   // ~30 frames/s: live updates never starve the event loop
constexpr double kPickRadiusPx = 8;  // how near a click or hover must be to a dot
constexpr int kClickSlopPx = 3;      // QCustomPlot's own click threshold: drag beyond it zooms
constexpr int kMinZoomRectPx = 6;    // smaller rubber bands are slips of the hand, not zooms
const QColor kFrontColor(64, 64, 64);

double percent(const PointView& p) {
    return 100.0 * p.test_accuracy;
}

// A log axis cannot place a cost <= 0 (no EBOPs, or not synthesized yet), so such points are
// left out and counted on screen.
bool drawable(const PointView& p, XAxis axis) {
    const double x = x_of(p, axis);
    return std::isfinite(x) && std::isfinite(p.test_accuracy) && x > 0;
}

// A pre-rendered dot: blitting a pixmap is several times cheaper than painting a path per point.
QPixmap discPixmap(const QColor& c) {
    QPixmap pm(7, 7);
    pm.fill(Qt::transparent);
    QPainter painter(&pm);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(c);
    painter.drawEllipse(QRectF(0.5, 0.5, 6, 6));
    return pm;
}

QString tooltipText(const PointView& p) {
    const QLocale loc;
    if (p.provisional)
        return QStringLiteral(
                   "<b>%1</b> (#%2), still training<br>epoch %3, β = %4<br>validation accuracy: "
                   "<b>%5 %</b><br>EBOPs (training estimate): %6<br><i>deployed with exact "
                   "EBOPs and test accuracy when the run ends</i>")
            .arg(p.run_name.toHtmlEscaped())
            .arg(p.run)
            .arg(p.epoch)
            .arg(p.beta, 0, 'g', 4)
            .arg(100 * p.test_accuracy, 0, 'f', 2)
            .arg(loc.toString(qint64(std::llround(p.ebops))));
    return QStringLiteral(
               "<b>point %1</b> — run %2 (#%3)<br>epoch %4, β = %5<br>"
               "test accuracy, integer model: <b>%6 %</b><br>test accuracy, float model: %7 %<br>"
               "validation accuracy: %8 %<br>exact EBOPs: <b>%9</b><br>LUT estimate: %10%11")
        .arg(p.id)
        .arg(p.run_name.toHtmlEscaped())
        .arg(p.run)
        .arg(p.epoch)
        .arg(p.beta, 0, 'g', 4)
        .arg(100 * p.test_accuracy, 0, 'f', 2)
        .arg(100 * p.test_accuracy_float, 0, 'f', 2)
        .arg(100 * p.val_accuracy, 0, 'f', 2)
        .arg(loc.toString(qint64(std::llround(p.ebops))))
        .arg(loc.toString(qint64(std::llround(p.lut))))
        .arg(p.luts_synth > 0 ? QStringLiteral("<br>synthesized LUTs (yosys): <b>%1</b>")
                                    .arg(loc.toString(qint64(std::llround(p.luts_synth))))
                              : QString());
}
}  // namespace

ParetoPlot::ParetoPlot(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    setupAxes();
    setupInteractions();
    timer_.setSingleShot(true);
    timer_.setInterval(kReplotDelayMs);
    connect(&timer_, &QTimer::timeout, this, &ParetoPlot::flush);
    connect(plot_, &QCustomPlot::afterReplot, this, [this] { ++replots_; });
    rebuild();
}

void ParetoPlot::setupAxes() {
    QFont label_font = font();
    label_font.setPointSizeF(label_font.pointSizeF() * 1.1);
    plot_->xAxis->setLabel(tr("exact EBOPs"));
    plot_->yAxis->setLabel(tr("test accuracy of the integer model (%)"));
    plot_->xAxis->setLabelFont(label_font);
    plot_->yAxis->setLabelFont(label_font);
    plot_->xAxis->setScaleType(QCPAxis::stLogarithmic);
    updateTicker(plot_->xAxis->range());
    // Zooming in below ~1.5 decades leaves a log ticker with one label repeated ("2·10⁴" for
    // 15 k…25 k): there, plain numbers read better.
    connect(plot_->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
            &ParetoPlot::updateTicker);
    plot_->xAxis->grid()->setSubGridVisible(true);
    plot_->xAxis->grid()->setSubGridPen(QPen(QColor(235, 235, 235), 0, Qt::DotLine));

    // The top-left corner is empty on an accuracy-vs-cost plot: nothing beats the front there.
    plot_->legend->setVisible(true);
    plot_->legend->setBrush(QColor(255, 255, 255, 215));
    plot_->legend->setBorderPen(QPen(QColor(190, 190, 190)));
    plot_->legend->setFillOrder(QCPLayoutGrid::foRowsFirst);
    plot_->legend->setWrap(12);  // long run lists grow sideways, not off the bottom
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);

    empty_text_ = add_centre_note(plot_, tr("No points yet — start a sweep"));
    empty_text_->setFont(label_font);

    skipped_text_ = new QCPItemText(plot_);
    skipped_text_->position->setType(QCPItemPosition::ptAxisRectRatio);
    skipped_text_->position->setCoords(0.99, 0.99);
    skipped_text_->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
    skipped_text_->setColor(QColor(150, 60, 60));
}

void ParetoPlot::setupInteractions() {
    plot_->setInteractions(QCP::iRangeZoom);
    // srmCustom rather than srmZoom so a tiny accidental rubber band is ignored instead of
    // zooming into a few pixels.
    plot_->setSelectionRectMode(QCP::srmCustom);
    plot_->selectionRect()->setPen(QPen(QColor(70, 110, 170), 1, Qt::DashLine));
    plot_->selectionRect()->setBrush(QColor(70, 110, 170, 40));
    connect(plot_->selectionRect(), &QCPSelectionRect::accepted, this,
            [this](const QRect& r, QMouseEvent*) { onRectAccepted(r); });
    connect(plot_->selectionRect(), &QCPSelectionRect::canceled, this,
            [this] { plot_->replot(QCustomPlot::rpQueuedReplot); });
    connect(plot_, &QCustomPlot::mousePress, this,
            [this](QMouseEvent* e) { press_pos_ = e->position().toPoint(); });
    connect(plot_, &QCustomPlot::mouseRelease, this, &ParetoPlot::onMouseRelease);
    connect(plot_, &QCustomPlot::mouseMove, this, &ParetoPlot::onMouseMove);
    connect(plot_, &QCustomPlot::mouseDoubleClick, this, &ParetoPlot::resetZoom);
    connect(plot_, &QCustomPlot::mouseWheel, this, [this] { user_zoomed_ = true; });
}

void ParetoPlot::setPoints(const QVector<PointView>& points) {
    pending_ = points;
    dirty_ = true;
    scheduleReplot();
}

// Not restarted by later calls: a steady stream of updates still draws at the timer's rate.
void ParetoPlot::scheduleReplot() {
    if (!timer_.isActive()) timer_.start();
}

void ParetoPlot::flush() {
    timer_.stop();
    rebuild();
    plot_->replot();
}

void ParetoPlot::setSelectedPoint(qint64 id) {
    if (id == selected_) return;
    selected_ = id;
    updateSelectionGraph();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void ParetoPlot::setFrontOnly(bool on) {
    if (on == front_only_) return;
    front_only_ = on;
    scheduleReplot();
}

void ParetoPlot::setXAxis(XAxis axis) {
    if (axis == x_axis_) return;
    x_axis_ = axis;
    plot_->xAxis->setLabel(axis == XAxis::SynthLuts ? tr("synthesized LUTs (yosys)")
                                                    : tr("exact EBOPs"));
    user_zoomed_ = false;  // the other axis has other ranges
    scheduleReplot();
}

void ParetoPlot::resetZoom() {
    user_zoomed_ = false;
    rescale();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void ParetoPlot::onRectAccepted(const QRect& rect) {
    if (rect.width() >= kMinZoomRectPx && rect.height() >= kMinZoomRectPx) {
        plot_->axisRect()->zoom(QRectF(rect));
        user_zoomed_ = true;
    }
    plot_->replot(QCustomPlot::rpQueuedReplot);  // also erases the rubber band
}

// Rebuilds every graph from scratch: cheap next to drawing, and simpler than diffing runs.
void ParetoPlot::rebuild() {
    if (dirty_) {
        points_ = std::move(pending_);
        pending_.clear();
        dirty_ = false;
    }
    QVector<PointView> candidates;
    for (const PointView& p : points_)
        if (drawable(p, x_axis_) && !p.provisional) candidates.push_back(p);
    const QVector<PointView> front_points = front(candidates, x_axis_);
    QSet<qint64> front_ids;
    for (const PointView& p : front_points) front_ids.insert(p.id);

    shown_.clear();
    for (int i = 0; i < points_.size(); ++i)
        if (drawable(points_[i], x_axis_) && (!front_only_ || front_ids.contains(points_[i].id)))
            shown_.push_back(i);

    // Thousands of antialiased, outlined circles cost ~6 µs each to paint; past a few thousand
    // dots they are drawn aliased, which a 7-px marker barely shows.
    many_ = shown_.size() > 2000;
    if (many_)
        plot_->setNotAntialiasedElements(QCP::aeScatters);
    else
        plot_->setAntialiasedElements(QCP::aeScatters);
    plot_->clearGraphs();
    addFrontGraph(front_points);
    addRunGraphs();
    selection_graph_ = add_selection_ring(plot_);
    updateSelectionGraph();

    const int skipped = int(std::count_if(
        points_.begin(), points_.end(), [&](const PointView& p) { return !drawable(p, x_axis_); }));
    empty_text_->setVisible(shown_.isEmpty());
    skipped_text_->setVisible(skipped > 0);
    skipped_text_->setText(x_axis_ == XAxis::SynthLuts
                               ? tr("%n point(s) not synthesized yet: not shown", "", skipped)
                               : tr("%n point(s) with EBOPs ≤ 0 not shown", "", skipped));
    plot_->legend->setVisible(!shown_.isEmpty());
    updateBudgetItems();
    if (!user_zoomed_) rescale();
}

// One scatter graph per run, coloured by its color_index (the app's, shared with the run table),
// else by the run's order of first appearance among all points, so a run keeps its colour when
// front-only mode hides some of its points.
void ParetoPlot::addRunGraphs() {
    QHash<qint64, int> index_of;
    QVector<const PointView*> first;
    for (const PointView& p : points_) {
        if (index_of.contains(p.run)) continue;
        index_of.insert(p.run, int(first.size()));
        first.push_back(&p);
    }
    // Per run: deployed points (filled) and, while it trains, its provisional ones (hollow).
    const int n = int(first.size());
    QVector<QVector<double>> keys(2 * n), values(2 * n);
    for (int i : shown_) {
        const int r = index_of.value(points_[i].run) + (points_[i].provisional ? n : 0);
        keys[r].push_back(x_of(points_[i], x_axis_));
        values[r].push_back(percent(points_[i]));
    }
    for (int r = 0; r < 2 * n; ++r) {
        if (keys[r].isEmpty()) continue;
        const PointView* run = first[r % n];
        const QColor c = run_color(run->color_index >= 0 ? run->color_index : r % n);
        QCPGraph* g = plot_->addGraph();
        g->setName(r < n ? run->run_name : run->run_name + tr(" (training)"));
        g->setLineStyle(QCPGraph::lsNone);
        QColor fill = c;
        fill.setAlpha(150);
        g->setScatterStyle(
            r < n && many_ ? QCPScatterStyle(discPixmap(fill))
            : r < n        ? QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(c, 1.2), fill, 7)
                    : QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(c, 1.4), Qt::NoBrush, 8));
        g->setData(keys[r], values[r]);
    }
}

// Drawn first so the dots lie on top; the rings mark which dots are on the front.
void ParetoPlot::addFrontGraph(const QVector<PointView>& front_points) {
    QCPGraph* g = plot_->addGraph();
    g->setName(tr("Pareto front"));
    g->setLineStyle(QCPGraph::lsStepLeft);  // horizontal to the next point, then up
    g->setPen(QPen(kFrontColor, 1.8));
    g->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(kFrontColor, 1.5), Qt::NoBrush, 11));
    // The even vertices of the staircase are the distinct front points; lsStepLeft draws the
    // odd ones (the corners) itself.
    const QVector<QPointF> stairs = frontStaircase(front_points, x_axis_);
    QVector<double> k, v;
    for (int i = 0; i < stairs.size(); i += 2) {
        k.push_back(stairs[i].x());
        v.push_back(stairs[i].y());
    }
    g->setData(k, v, true);
}

void ParetoPlot::updateSelectionGraph() {
    if (!selection_graph_) return;
    selection_graph_->data()->clear();
    for (int i : shown_)
        if (points_[i].id == selected_ && selected_ != 0)
            selection_graph_->addData(x_of(points_[i], x_axis_), percent(points_[i]));
}

void ParetoPlot::updateTicker(const QCPRange& range) {
    const bool narrow = range.lower > 0 && range.upper / range.lower < 30;
    if (narrow == narrow_ticks_ && plot_->xAxis->ticker()) return;
    narrow_ticks_ = narrow;
    if (narrow) {
        auto ticker = QSharedPointer<QCPAxisTicker>::create();
        ticker->setTickCount(6);
        plot_->xAxis->setTicker(ticker);
        plot_->xAxis->setNumberFormat("f");
        plot_->xAxis->setNumberPrecision(0);
        return;
    }
    auto ticker = QSharedPointer<QCPAxisTickerLog>::create();
    ticker->setLogBase(10);
    ticker->setSubTickCount(8);
    plot_->xAxis->setTicker(ticker);
    plot_->xAxis->setNumberFormat("eb");  // 10^4 style labels
    plot_->xAxis->setNumberPrecision(0);
}

void ParetoPlot::rescale() {
    if (shown_.isEmpty()) {
        plot_->xAxis->setRange(1e2, 1e6);
        plot_->yAxis->setRange(0, 100);
        return;
    }
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (int i : shown_) {
        x0 = std::min(x0, x_of(points_[i], x_axis_));
        x1 = std::max(x1, x_of(points_[i], x_axis_));
        y0 = std::min(y0, percent(points_[i]));
        y1 = std::max(y1, percent(points_[i]));
    }
    plot_->xAxis->setRange(x0 / 1.5, x1 * 1.5);  // log axis: margins are factors
    const double pad = std::max(0.5, 0.06 * (y1 - y0));
    plot_->yAxis->setRange(y0 - pad, y1 + 2 * pad);  // room for the legend's top edge
}

int ParetoPlot::nearest(const QPointF& pixel) const {
    int best = -1;
    double best_d2 = kPickRadiusPx * kPickRadiusPx;
    for (int i : shown_) {
        const double dx = plot_->xAxis->coordToPixel(x_of(points_[i], x_axis_)) - pixel.x();
        const double dy = plot_->yAxis->coordToPixel(percent(points_[i])) - pixel.y();
        const double d2 = dx * dx + dy * dy;
        if (d2 <= best_d2) {  // "<=": of overlapping dots, the one drawn last (on top)
            best_d2 = d2;
            best = i;
        }
    }
    return best;
}

QPointF ParetoPlot::pixelOf(qint64 id) const {
    for (int i : shown_)
        if (points_[i].id == id)
            return {plot_->xAxis->coordToPixel(x_of(points_[i], x_axis_)),
                    plot_->yAxis->coordToPixel(percent(points_[i]))};
    return {-1, -1};
}

void ParetoPlot::onMouseMove(QMouseEvent* e) {
    const int i = e->buttons() == Qt::NoButton ? nearest(e->position()) : -1;
    if (i < 0) {
        if (hovered_ != 0) QToolTip::hideText();
        hovered_ = 0;
        return;
    }
    hovered_ = points_[i].id;
    QToolTip::showText(e->globalPosition().toPoint(), tooltipText(points_[i]), plot_);
}

// Selection happens on release so a rubber-band drag that starts on a dot does not select it.
void ParetoPlot::onMouseRelease(QMouseEvent* e) {
    if (e->button() != Qt::LeftButton) return;
    if ((e->position().toPoint() - press_pos_).manhattanLength() > kClickSlopPx) return;
    const int i = nearest(e->position());
    if (i < 0) return;
    const qint64 id = points_[i].id;
    setSelectedPoint(id);
    emit pointClicked(id);
}

}  // namespace hgq::widgets
