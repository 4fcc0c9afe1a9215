// SPDX-License-Identifier: GPL-3.0-or-later
#include "training_curves.h"

#include "axis_ticks.h"

#include <qcustomplot.h>
#include <QVBoxLayout>

namespace hgq::widgets {

namespace {
constexpr int kReplotDelayMs = 33;  // as the Pareto plot: ~30 frames/s at most

struct PanelSpec {
    const char* label;
    bool log;
};
const PanelSpec kPanels[TrainingCurves::PanelCount] = {
    {"loss", false}, {"validation accuracy (%)", false}, {"EBOPs", true}, {"β", true}};

double valueOf(const EpochView& e, int panel) {
    switch (panel) {
        case TrainingCurves::Loss:
            return e.loss;
        case TrainingCurves::ValAccuracy:
            return 100.0 * e.val_accuracy;
        case TrainingCurves::Ebops:
            return e.ebops;
        default:
            return e.beta;
    }
}

// An empty QCPLegend reports a maximum width of its margins, which would squeeze the panels
// sharing its layout column; the legend row never limits the width.
class LegendRow : public QCPLegend {
  public:
    QSize maximumOuterSizeHint() const override {
        return {QWIDGETSIZE_MAX, QCPLegend::maximumOuterSizeHint().height()};
    }
};

void makeLog(QCPAxis* axis) {
    use_adaptive_log_ticks(axis);
}
}  // namespace

TrainingCurves::TrainingCurves(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    setupPanels();
    setupInteractions();
    timer_.setSingleShot(true);
    timer_.setInterval(kReplotDelayMs);
    connect(&timer_, &QTimer::timeout, this, &TrainingCurves::flush);
    connect(plot_, &QCustomPlot::afterReplot, this, [this] { ++replots_; });
    rebuild();
}

// A 2×2 grid of axis rects above a one-row legend. Margin groups line the panels up so the
// epoch axes of a column start at the same pixel.
void TrainingCurves::setupPanels() {
    plot_->plotLayout()->clear();  // also deletes the default axis rect and its legend
    plot_->setAutoAddPlottableToLegend(false);
    auto* grid = new QCPLayoutGrid;
    plot_->plotLayout()->addElement(0, 0, grid);
    QCPMarginGroup* columns[2] = {new QCPMarginGroup(plot_), new QCPMarginGroup(plot_)};
    for (int p = 0; p < PanelCount; ++p) {
        auto* rect = new QCPAxisRect(plot_);
        grid->addElement(p / 2, p % 2, rect);
        rect->setMarginGroup(QCP::msLeft | QCP::msRight, columns[p % 2]);
        QCPAxis* x = rect->axis(QCPAxis::atBottom);
        x->setLabel(tr("epoch"));
        auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
        ticker->setTickStep(1);  // whole epochs only: 1, 2, 5, 10, 20, ...
        ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
        x->setTicker(ticker);
        rect->axis(QCPAxis::atLeft)->setLabel(tr(kPanels[p].label));
        if (kPanels[p].log) makeLog(rect->axis(QCPAxis::atLeft));
        panels_[p] = rect;
    }
    legend_ = new LegendRow;
    plot_->plotLayout()->addElement(1, 0, legend_);
    plot_->plotLayout()->setRowStretchFactor(1, 0.001);  // as tall as its entries, no more
    legend_->setLayer(QStringLiteral("legend"));
    legend_->setBorderPen(Qt::NoPen);
    legend_->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend_->setWrap(6);

    empty_text_ = new QCPItemText(plot_);
    empty_text_->setClipToAxisRect(false);
    empty_text_->position->setType(QCPItemPosition::ptViewportRatio);
    empty_text_->position->setCoords(0.5, 0.5);
    empty_text_->setText(tr("Select runs to see their curves"));
    empty_text_->setColor(QColor(120, 120, 120));
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 1.2);
    empty_text_->setFont(f);
    // A card above the axes: centred on the widget it would otherwise cross an axis label.
    empty_text_->setLayer(QStringLiteral("overlay"));
    empty_text_->setBrush(Qt::white);
    empty_text_->setPen(QPen(QColor(200, 200, 200)));
    empty_text_->setPadding(QMargins(12, 6, 12, 6));
}

// Wheel and drag act on the epoch axis only; every panel follows so the epochs stay aligned.
void TrainingCurves::setupInteractions() {
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    for (QCPAxisRect* rect : panels_) {
        rect->setRangeDrag(Qt::Horizontal);
        rect->setRangeZoom(Qt::Horizontal);
        connect(rect->axis(QCPAxis::atBottom),
                QOverload<const QCPRange&>::of(&QCPAxis::rangeChanged), this,
                &TrainingCurves::syncEpochRange);
    }
    connect(plot_, &QCustomPlot::mouseDoubleClick, this, &TrainingCurves::resetZoom);
    connect(plot_, &QCustomPlot::mouseWheel, this, [this] { user_zoomed_ = true; });
    connect(plot_, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
        if (e->buttons() != Qt::NoButton) user_zoomed_ = true;  // a drag, not a click
    });
}

void TrainingCurves::setRuns(const QVector<RunCurves>& runs) {
    runs_ = runs;
    if (!timer_.isActive()) timer_.start();  // not restarted: a steady stream still draws
}

void TrainingCurves::flush() {
    timer_.stop();
    rebuild();
    plot_->replot();
}

void TrainingCurves::resetZoom() {
    user_zoomed_ = false;
    rescale();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void TrainingCurves::rebuild() {
    plot_->clearGraphs();
    for (int i = 0; i < runs_.size(); ++i)
        addRun(runs_[i], run_color(runs_[i].color_index >= 0 ? runs_[i].color_index : i));
    empty_text_->setVisible(runs_.isEmpty());
    legend_->setVisible(!runs_.isEmpty());
    if (!user_zoomed_) rescale();
}

void TrainingCurves::addRun(const RunCurves& run, const QColor& color) {
    for (int p = 0; p < PanelCount; ++p) {
        QCPAxisRect* rect = panels_[p];
        QCPGraph* g = plot_->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        g->setName(run.name);
        g->setPen(QPen(color, 1.6));
        // A lone epoch has no line to draw: show it as a dot.
        if (run.epochs.size() < 2) g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 6));
        QVector<double> keys, values;
        for (const EpochView& e : run.epochs) {
            const double v = valueOf(e, p);
            if (kPanels[p].log && !(v > 0)) continue;  // a log axis has no place for it
            keys.push_back(e.epoch);
            values.push_back(v);
        }
        g->setData(keys, values);
        if (p == Loss) g->addToLegend(legend_);
        if (p == Ebops && run.target_ebops > 0 && !run.epochs.isEmpty()) addTarget(run, color);
    }
}

// The target over the run's epochs (to the planned end would need the plan; the run's own span
// keeps the epoch axis as the curves set it).
void TrainingCurves::addTarget(const RunCurves& run, const QColor& color) {
    QCPAxisRect* rect = panels_[Ebops];
    QCPGraph* t = plot_->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    t->setName(run.name + tr(" target"));
    QPen pen(color.lighter(130), 1.2, Qt::DashLine);
    t->setPen(pen);
    const double first = run.epochs.front().epoch, last = run.epochs.back().epoch;
    t->setData({first, qMax(last, first + 1)}, {run.target_ebops, run.target_ebops});
    t->setProperty("target", true);
}

void TrainingCurves::rescale() {
    for (QCPAxisRect* rect : panels_) {
        QCPAxis* y = rect->axis(QCPAxis::atLeft);
        const bool log = y->scaleType() == QCPAxis::stLogarithmic;
        if (rect->graphs().isEmpty()) {
            y->setRange(log ? QCPRange(1e-1, 1e1) : QCPRange(0, 1));
        } else {
            y->rescale();        // a log axis takes only the positive values into account
            y->scaleRange(1.1);  // breathing room above and below the curves
        }
    }
    // One epoch range for all panels, from the runs themselves: a panel may have no data.
    double lo = 0, hi = 1;
    bool any = false;
    for (const RunCurves& run : runs_) {
        for (const EpochView& e : run.epochs) {
            lo = any ? qMin(lo, double(e.epoch)) : e.epoch;
            hi = any ? qMax(hi, double(e.epoch)) : e.epoch;
            any = true;
        }
    }
    if (hi - lo < 1) hi = lo + 1;
    syncEpochRange(QCPRange(lo, hi));
}

void TrainingCurves::syncEpochRange(const QCPRange& range) {
    for (QCPAxisRect* rect : panels_) rect->axis(QCPAxis::atBottom)->setRange(range);
}

}  // namespace hgq::widgets
