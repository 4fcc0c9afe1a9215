// SPDX-License-Identifier: GPL-3.0-or-later
#include "pareto_plot.h"

#include <qcustomplot.h>
#include <QHash>
#include <QSet>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "axis_ticks.h"
#include "plot_marks.h"

namespace hgq::widgets {

namespace {
constexpr int kReplotDelayMs = 33;   // ~30 frames/s: live updates never starve the event loop
constexpr double kPickRadiusPx = 8;  // how near a click or hover must be to a dot
constexpr int kClickSlopPx = 3;      // QCustomPlot's own click threshold: drag beyond it zooms
constexpr int kMinZoomRectPx = 6;    // smaller rubber bands are slips of the hand, not zooms
const QColor kFrontColor(64, 64, 64);
const QColor kPinColor(170, 0, 120);  // the pinned point's diamond and label
const QColor kProvisionalKeyColor(110, 110, 110);
const char* kProvisionalLayer = "provisional";

// A legend entry whose name is elided to a width, so long run names cannot widen the legend.
class ElidedItem : public QCPPlottableLegendItem {
  public:
    ElidedItem(QCPLegend* legend, QCPAbstractPlottable* p, int max_width)
        : QCPPlottableLegendItem(legend, p), max_width_(max_width) {}
    QString text() const {
        return QFontMetrics(getFont()).elidedText(mPlottable->name(), Qt::ElideRight, max_width_);
    }

  protected:
    // The base class draws and measures the plottable's name (and may draw its icon, which a
    // subclass may not): the elided name stands in for the duration.
    void draw(QCPPainter* painter) override {
        const QString full = mPlottable->name();
        mPlottable->setName(text());
        QCPPlottableLegendItem::draw(painter);
        mPlottable->setName(full);
    }
    QSize minimumOuterSizeHint() const override {
        const QString full = mPlottable->name();
        mPlottable->setName(text());
        const QSize s = QCPPlottableLegendItem::minimumOuterSizeHint();
        mPlottable->setName(full);
        return s;
    }

  private:
    int max_width_;
};

// A text-only legend entry: "+12 more runs".
class NoteItem : public QCPAbstractLegendItem {
  public:
    NoteItem(QCPLegend* legend, const QString& text) : QCPAbstractLegendItem(legend), text_(text) {}

  protected:
    void draw(QCPPainter* painter) override {
        painter->setFont(mFont);
        painter->setPen(QColor(90, 90, 90));
        painter->drawText(mRect, Qt::AlignLeft | Qt::AlignVCenter, text_);
    }
    QSize minimumOuterSizeHint() const override {
        const QSize s = QFontMetrics(mFont).size(0, text_);
        return {s.width() + mMargins.left() + mMargins.right(),
                qMax(s.height(), mParentLegend->iconSize().height()) + mMargins.top() +
                    mMargins.bottom()};
    }

  private:
    QString text_;
};

// The legend block below the axes. An empty QCPLegend reports a maximum width of its margins,
// which would squeeze the axis rect sharing its column: the block never limits the width.
class LegendBlock : public QCPLegend {
  public:
    QSize maximumOuterSizeHint() const override {
        return {QWIDGETSIZE_MAX, QCPLegend::maximumOuterSizeHint().height()};
    }
};

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
                   "<b>%1</b> (#%2) — <b>still training, not a deployed point</b><br>"
                   "epoch %3, β = %4<br>validation accuracy (not test accuracy): <b>%5 %</b><br>"
                   "EBOPs, training estimate (not exact): %6<br><i>drawn hollow; replaced by a "
                   "deployed point with exact EBOPs and the integer model's test accuracy when "
                   "the run ends</i>")
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
    use_log_ticks(plot_->xAxis);  // the views' one log ticker: 1-2-5, one format, no overlap
    plot_->xAxis->grid()->setSubGridVisible(true);
    plot_->xAxis->grid()->setSubGridPen(QPen(QColor(235, 235, 235), 0, Qt::DotLine));

    // The legend is a block below the axes: inside them it covered points (the selected one
    // too), and 50 runs do not fit there. updateLegend() fills it for the plot's size.
    plot_->setAutoAddPlottableToLegend(false);
    plot_->axisRect()->insetLayout()->remove(plot_->legend);  // QCustomPlot's own, in the axes
    legend_ = new LegendBlock;
    plot_->plotLayout()->addElement(1, 0, legend_);
    plot_->plotLayout()->setRowStretchFactor(1, 0.001);  // as tall as its entries, no more
    legend_->setLayer(QStringLiteral("legend"));
    legend_->setBorderPen(Qt::NoPen);
    legend_->setBrush(Qt::NoBrush);
    legend_->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend_->setIconSize(24, 12);
    legend_->setMargins(QMargins(6, 0, 6, 4));
    legend_->setRowSpacing(0);

    // Still-training points on a layer of their own, under the deployed ones.
    plot_->addLayer(QString::fromLatin1(kProvisionalLayer), plot_->layer(QStringLiteral("main")),
                    QCustomPlot::limBelow);

    pinned_text_ = new QCPItemText(plot_);
    pinned_text_->position->setType(QCPItemPosition::ptPlotCoords);
    pinned_text_->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
    pinned_text_->setPadding(QMargins(12, 0, 0, 9));  // up and right of the diamond
    pinned_text_->setText(tr("pinned"));
    pinned_text_->setColor(kPinColor);
    pinned_text_->setClipToAxisRect(true);
    pinned_text_->setVisible(false);

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
    updateLegend(width(), height());  // its run is listed first when the legend is full
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void ParetoPlot::setPinnedPoint(qint64 id) {
    if (id == pinned_) return;
    pinned_ = id;
    updatePinned();
    updateLegend(width(), height());
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void ParetoPlot::setLegendShown(bool on) {
    if (on == legend_shown_) return;
    legend_shown_ = on;
    updateLegend(width(), height());
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void ParetoPlot::resizeEvent(QResizeEvent* e) {
    QWidget::resizeEvent(e);
    updateLegend(e->size().width(), e->size().height());  // columns and rows follow the size
}

bool ParetoPlot::saveImage(const QString& path, int width, int height, double scale, bool clean) {
    if (dirty_ || timer_.isActive()) {
        timer_.stop();
        rebuild();
    }
    if (width <= 0) width = plot_->width();
    if (height <= 0) height = plot_->height();
    if (!(scale > 0)) scale = 1;
    QVector<QCPLayerable*> hidden;
    if (clean)
        for (QCPLayerable* l :
             {static_cast<QCPLayerable*>(selection_graph_),
              static_cast<QCPLayerable*>(pinned_graph_), static_cast<QCPLayerable*>(pinned_text_)})
            if (l && l->visible()) {
                l->setVisible(false);
                hidden.push_back(l);
            }
    updateLegend(width, height);
    // A first layout at the export size, so the ticks are chosen for the exported axes' length
    // (a ticker sees the axis rect of the previous layout).
    plot_->toPixmap(width, height, 1.0);
    const bool pdf = path.endsWith(QStringLiteral(".pdf"), Qt::CaseInsensitive);
    const bool ok =
        pdf ? plot_->savePdf(path, width, height)
            : plot_->savePng(path, width, height, scale, -1, int(std::lround(96 * scale)));
    for (QCPLayerable* l : hidden) l->setVisible(true);
    updateLegend(this->width(), this->height());
    plot_->replot();
    return ok;
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
    front_runs_.clear();
    for (const PointView& p : front_points) front_runs_.insert(p.run);
    legend_->clearItems();  // its entries point at the graphs about to go
    plot_->clearGraphs();
    whatif_graph_ = nullptr;
    run_graphs_.clear();
    addFrontGraph(front_points);
    addRunGraphs();
    selection_graph_ = add_selection_ring(plot_);
    updateSelectionGraph();
    pinned_graph_ = plot_->addGraph();
    pinned_graph_->setLineStyle(QCPGraph::lsNone);
    pinned_graph_->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(kPinColor, 2.2), Qt::NoBrush, 21));
    updatePinned();
    updateWhatIf();

    const int skipped = int(std::count_if(
        points_.begin(), points_.end(), [&](const PointView& p) { return !drawable(p, x_axis_); }));
    empty_text_->setVisible(shown_.isEmpty());
    skipped_text_->setVisible(skipped > 0);
    skipped_text_->setText(x_axis_ == XAxis::SynthLuts
                               ? tr("%n point(s) not synthesized yet: not shown", "", skipped)
                               : tr("%n point(s) with EBOPs ≤ 0 not shown", "", skipped));
    updateLegend(width(), height());
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
    provisional_key_ = nullptr;
    for (int r = 0; r < 2 * n; ++r) {
        if (keys[r].isEmpty()) continue;
        const PointView* run = first[r % n];
        const QColor c = run_color(run->color_index >= 0 ? run->color_index : r % n);
        QCPGraph* g = plot_->addGraph();
        g->setName(r < n ? run->run_name : run->run_name + tr(" (training)"));
        if (r < n) {
            run_graphs_.push_back({g, run->run});
        } else {
            // Validation accuracy at estimated EBOPs, not the axes' quantities: a layer and one
            // legend entry of their own, hollow markers.
            g->setLayer(QString::fromLatin1(kProvisionalLayer));
            if (!provisional_key_) {
                provisional_key_ = plot_->addGraph();
                provisional_key_->setName(tr("training: val. accuracy, est. EBOPs"));
                provisional_key_->setLineStyle(QCPGraph::lsNone);
                provisional_key_->setScatterStyle(QCPScatterStyle(
                    QCPScatterStyle::ssCircle, QPen(kProvisionalKeyColor, 1.4), Qt::NoBrush, 8));
                provisional_key_->setLayer(QString::fromLatin1(kProvisionalLayer));
            }
        }
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

void ParetoPlot::updatePinned() {
    if (!pinned_graph_) return;
    pinned_graph_->data()->clear();
    bool shown = false;
    for (int i : shown_)
        if (pinned_ != 0 && points_[i].id == pinned_) {
            const double x = x_of(points_[i], x_axis_), y = percent(points_[i]);
            pinned_graph_->addData(x, y);
            pinned_text_->position->setCoords(x, y);
            shown = true;
        }
    pinned_text_->setVisible(shown);
}

// Fills the legend for a plot of width × height: the front, the still-training key, then the
// runs in as many columns as fit and at most a few rows; runs beyond that are counted in a
// "+K more runs" entry, runs on the front (and the selected and pinned points' runs) kept first.
void ParetoPlot::updateLegend(int width, int height) {
    legend_->clearItems();
    legend_->simplify();  // no empty rows or columns left behind
    legend_runs_ = legend_more_ = 0;
    legend_->setVisible(legend_shown_ && !shown_.isEmpty());
    if (!legend_->visible()) return;
    QVector<QCPGraph*> fixed;
    for (int i = 0; i < plot_->graphCount(); ++i) {
        QCPGraph* g = plot_->graph(i);
        if ((g->name() == tr("Pareto front") && g->dataCount() > 0) || g == provisional_key_)
            fixed.push_back(g);
    }
    const QFontMetrics fm(legend_->font());
    int name_w = 0, fixed_w = 0;  // run names are elided to name_w; the fixed entries are not
    for (QCPGraph* g : fixed) fixed_w = std::max(fixed_w, fm.horizontalAdvance(g->name()));
    for (const auto& rg : run_graphs_)
        name_w = std::max(name_w, fm.horizontalAdvance(rg.first->name()));
    name_w = std::min(name_w, std::clamp(width / 4, 80, 220));
    const QMargins m = legend_->margins();
    const int item_w = legend_->iconSize().width() + legend_->iconTextPadding() + name_w + 16 +
                       legend_->columnSpacing();
    const int cols =
        std::max(1, (width - m.left() - m.right() - std::max(0, fixed_w - name_w)) / item_w);
    const int rows = height >= 700 ? 4 : height >= 420 ? 3 : 2;
    const int capacity = std::max(int(fixed.size()) + 1, cols * rows);
    QVector<bool> take(run_graphs_.size(), false);
    int room = capacity - int(fixed.size());
    if (run_graphs_.size() > room) {
        --room;  // for "+K more runs"
        QSet<qint64> first_runs;
        for (const PointView& p : points_)
            if ((p.id == selected_ || p.id == pinned_) && p.id != 0) first_runs.insert(p.run);
        for (int pass = 0; pass < 3 && room > 0; ++pass)
            for (int i = 0; i < run_graphs_.size() && room > 0; ++i) {
                const qint64 run = run_graphs_[i].second;
                const bool wanted = pass == 0   ? first_runs.contains(run)
                                    : pass == 1 ? front_runs_.contains(run)
                                                : true;
                if (!take[i] && wanted) take[i] = true, --room;
            }
    } else {
        take.fill(true);
    }
    legend_->setWrap(cols);  // before adding: the wrap places elements as they come
    for (QCPGraph* g : fixed)
        legend_->addItem(new ElidedItem(legend_, g, std::max(name_w, fixed_w) + 8));
    for (int i = 0; i < run_graphs_.size(); ++i)
        if (take[i]) legend_->addItem(new ElidedItem(legend_, run_graphs_[i].first, name_w));
    legend_runs_ = int(std::count(take.begin(), take.end(), true));
    legend_more_ = int(run_graphs_.size()) - legend_runs_;
    if (legend_more_ > 0)
        legend_->addItem(new NoteItem(legend_, legend_more_ == 1
                                                   ? tr("+1 more run")
                                                   : tr("+%1 more runs").arg(legend_more_)));
}

void ParetoPlot::updateSelectionGraph() {
    if (!selection_graph_) return;
    selection_graph_->data()->clear();
    for (int i : shown_)
        if (points_[i].id == selected_ && selected_ != 0)
            selection_graph_->addData(x_of(points_[i], x_axis_), percent(points_[i]));
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
    if (whatif_parent_ != 0 && x_axis_ == XAxis::Ebops) {  // the what-if star is shown too
        x0 = std::min(x0, whatif_ebops_), x1 = std::max(x1, whatif_ebops_);
        y0 = std::min(y0, 100 * whatif_acc_), y1 = std::max(y1, 100 * whatif_acc_);
    }
    plot_->xAxis->setRange(x0 / 1.5, x1 * 1.5);  // log axis: margins are factors
    const double pad = std::max(0.5, 0.06 * (y1 - y0));
    plot_->yAxis->setRange(y0 - pad, y1 + 2 * pad);  // room for a "pinned" label on top
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
