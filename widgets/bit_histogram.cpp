// SPDX-License-Identifier: GPL-3.0-or-later
#include "bit_histogram.h"

#include <qcustomplot.h>
#include <QButtonGroup>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QRadioButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>

#include "plot_marks.h"

namespace hgq::widgets {
namespace {

const QColor kBarColor(31, 119, 180);
const QColor kPrunedColor(200, 200, 200);
const QColor kPinnedColor(214, 39, 40);

int lastNonZero(const QVector<qint64>& h) {
    for (int i = int(h.size()) - 1; i >= 0; --i)
        if (h[i] != 0) return i;
    return -1;
}

QVector<double> padded(const QVector<qint64>& h, int bins) {
    QVector<double> v(bins, 0.0);
    for (int i = 0; i < std::min(bins, int(h.size())); ++i) v[i] = double(h[i]);
    return v;
}

}  // namespace

BitHistogram::BitHistogram(QWidget* parent) : QWidget(parent) {
    buildControls();
    buildPlot();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* row = new QHBoxLayout;
    row->setContentsMargins(6, 4, 6, 0);
    row->addWidget(new QLabel(tr("Layer:"), this));
    row->addWidget(layer_box_, 1);
    row->addSpacing(12);
    row->addWidget(weights_button_);
    row->addWidget(acts_button_);
    layout->addLayout(row);
    layout->addWidget(plot_, 1);
    // Several setters in a row (point, pinned, layer) must cost one repaint, not one each.
    replot_timer_.setSingleShot(true);
    replot_timer_.setInterval(33);
    connect(&replot_timer_, &QTimer::timeout, this,
            [this] { plot_->replot(QCustomPlot::rpQueuedReplot); });
    rebuild();
}

void BitHistogram::buildControls() {
    layer_box_ = new QComboBox(this);
    layer_box_->addItem(tr("All layers"));
    layer_box_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(layer_box_, &QComboBox::currentIndexChanged, this,
            [this](int i) { setLayer(i - 1); });  // item 0 is "All layers"
    weights_button_ = new QRadioButton(tr("Weights"), this);
    acts_button_ = new QRadioButton(tr("Activations"), this);
    weights_button_->setChecked(true);
    auto* group = new QButtonGroup(this);
    group->addButton(weights_button_);
    group->addButton(acts_button_);
    connect(weights_button_, &QAbstractButton::toggled, this,
            [this](bool on) { setKind(on ? Kind::Weights : Kind::Activations); });
}

void BitHistogram::buildPlot() {
    plot_ = new QCustomPlot(this);
    plot_->plotLayout()->insertRow(0);
    title_ = new QCPTextElement(plot_, QString(), QFont(font().family(), 11, QFont::Bold));
    plot_->plotLayout()->addElement(0, 0, title_);
    auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
    ticker->setTickStep(1.0);  // bit-widths are integers: never label 2.5 bits
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    ticker->setTickCount(16);  // a label under every bar up to 16 bits
    plot_->xAxis->setTicker(ticker);
    plot_->xAxis->setLabel(tr("bit-width"));
    plot_->xAxis->grid()->setVisible(false);
    plot_->yAxis->setLabel(tr("count"));
    plot_->yAxis->grid()->setSubGridVisible(false);

    pruned_bars_ = new QCPBars(plot_->xAxis, plot_->yAxis);
    pruned_bars_->setName(tr("0 bits (pruned)"));
    pruned_bars_->setBrush(kPrunedColor);
    pruned_bars_->setPen(QPen(kPrunedColor.darker(140)));
    bars_ = new QCPBars(plot_->xAxis, plot_->yAxis);
    bars_->setBrush(kBarColor);
    bars_->setPen(QPen(kBarColor.darker(130)));
    pinned_bars_ = new QCPBars(plot_->xAxis, plot_->yAxis);
    pinned_bars_->setBrush(QBrush(kPinnedColor, Qt::BDiagPattern));
    pinned_bars_->setPen(QPen(kPinnedColor, 2.0));
    for (QCPBars* b : {pruned_bars_, bars_, pinned_bars_}) {
        b->setWidth(0.8);
        b->setSelectable(QCP::stNone);
    }
    // The legend in its own row under the axes, entries side by side: inside the axes it covered
    // the bars of a small dock (a 1280×720 screen).
    plot_->legend->setVisible(true);
    plot_->legend->setBorderPen(Qt::NoPen);
    plot_->axisRect()->insetLayout()->take(plot_->legend);
    plot_->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    plot_->legend->setWrap(2);
    plot_->legend->setMargins(QMargins(4, 0, 4, 2));

    empty_text_ = add_centre_note(plot_, tr("Select a point"));
    empty_text_->setFont(QFont(font().family(), 12));
    plot_->setMouseTracking(true);
    connect(plot_, &QCustomPlot::mouseMove, this, &BitHistogram::showTip);
}

void BitHistogram::setPoint(const QString& label, const QVector<LayerBits>& layers) {
    label_ = label;
    layers_ = layers;
    fillLayerBox();
    rebuild();
}

void BitHistogram::setPinned(const QString& label, const QVector<LayerBits>& layers) {
    pinned_label_ = label;
    pinned_ = layers;
    has_pinned_ = true;
    fillLayerBox();
    rebuild();
}

void BitHistogram::clearPinned() {
    pinned_label_.clear();
    pinned_.clear();
    has_pinned_ = false;
    fillLayerBox();
    rebuild();
}

void BitHistogram::setKind(Kind kind) {
    if (kind == kind_) return;
    kind_ = kind;
    const QSignalBlocker block(weights_button_);
    (kind == Kind::Weights ? weights_button_ : acts_button_)->setChecked(true);
    rebuild();
    emit kindChanged(kind);
}

void BitHistogram::setLayer(int index) {
    const QVector<LayerBits>& names = layers_.isEmpty() ? pinned_ : layers_;
    if (index < -1 || index >= int(names.size())) index = -1;
    const QSignalBlocker block(layer_box_);
    layer_box_->setCurrentIndex(index + 1);
    if (index == layer_) return;
    layer_ = index;
    rebuild();
    emit layerChanged(index);
}

// The layer list follows the shown point (or the pinned one when nothing else is shown); the
// selection survives a new point with the same layers, which is the common case within a study.
void BitHistogram::fillLayerBox() {
    const QVector<LayerBits>& names = layers_.isEmpty() ? pinned_ : layers_;
    QStringList items{tr("All layers")};
    for (const LayerBits& l : names) items << l.name;
    QStringList current;
    for (int i = 0; i < layer_box_->count(); ++i) current << layer_box_->itemText(i);
    if (items != current) {
        const QSignalBlocker block(layer_box_);
        layer_box_->clear();
        layer_box_->addItems(items);
    }
    if (layer_ >= int(names.size())) {
        layer_ = -1;
        emit layerChanged(-1);
    }
    const QSignalBlocker block(layer_box_);
    layer_box_->setCurrentIndex(layer_ + 1);
}

QVector<qint64> BitHistogram::sumLayers(const QVector<LayerBits>& layers, Kind kind) {
    QVector<qint64> sum;
    for (const LayerBits& l : layers) {
        const QVector<qint64>& h = kind == Kind::Weights ? l.weight_hist : l.act_hist;
        if (h.size() > sum.size()) sum.resize(h.size(), 0);
        for (int i = 0; i < int(h.size()); ++i) sum[i] += h[i];
    }
    return sum;
}

QVector<qint64> BitHistogram::histogramOf(const QVector<LayerBits>& layers, bool pinned) const {
    if (layer_ < 0) return sumLayers(layers, kind_);
    int index = layer_;
    if (pinned) {  // a pinned point of another run may order or name its layers differently
        const QVector<LayerBits>& names = layers_.isEmpty() ? pinned_ : layers_;
        const QString& name = names.value(layer_).name;
        for (int i = 0; i < int(layers.size()); ++i)
            if (layers[i].name == name) index = i;
    }
    if (index >= int(layers.size())) return {};
    return sumLayers({layers[index]}, kind_);
}

void BitHistogram::rebuild() {
    const QVector<qint64> main = histogramOf(layers_, false);
    const QVector<qint64> pin = has_pinned_ ? histogramOf(pinned_, true) : QVector<qint64>{};
    const bool empty = layers_.isEmpty() && !has_pinned_;
    const int bins = empty ? 0 : std::max(lastNonZero(main), lastNonZero(pin)) + 1;
    values_ = padded(main, bins);
    pinned_values_ = has_pinned_ ? padded(pin, bins) : QVector<double>{};
    showValues(bins);

    const QString what = kind_ == Kind::Weights ? tr("Weight") : tr("Activation");
    const QString where = layer_ < 0 ? tr("all layers") : layer_box_->itemText(layer_ + 1);
    title_->setText(tr("%1 bit-widths · %2").arg(what, where));
    plot_->yAxis->setLabel(kind_ == Kind::Weights ? tr("weights") : tr("activations"));
    empty_text_->setVisible(empty);
    showLegendRow(!empty);
    scheduleReplot();
}

void BitHistogram::showValues(int bins) {
    QVector<double> keys(bins);
    for (int i = 0; i < bins; ++i) keys[i] = i;
    const bool shown = !layers_.isEmpty() && bins > 0;
    pruned_bars_->setData(keys.mid(0, 1), values_.mid(0, 1), true);
    bars_->setData(keys.mid(1), values_.mid(1), true);
    pinned_bars_->setData(has_pinned_ ? keys : QVector<double>{}, pinned_values_, true);
    bars_->setName(label_.isEmpty() ? tr("point") : label_);
    pinned_bars_->setName(pinned_label_.isEmpty() ? tr("pinned") : pinned_label_);
    bars_->setVisible(shown);
    pruned_bars_->setVisible(shown);
    pinned_bars_->setVisible(has_pinned_);
    plot_->legend->clearItems();  // the shown point first, then the pinned one, then pruned
    for (QCPBars* b : {bars_, pinned_bars_, pruned_bars_})
        if (b->visible()) b->addToLegend();

    double top = 0;
    for (double v : values_ + pinned_values_) top = std::max(top, v);
    plot_->xAxis->setRange(-0.6, std::max(bins, 2) - 0.4);
    plot_->yAxis->setRange(0, top > 0 ? top * 1.05 : 1.0);
}

// Hover: the exact counts of the bin under the cursor, which bar heights only suggest.
void BitHistogram::showTip(QMouseEvent* event) {
    const QPointF pos = event->position();
    const int bit = int(std::lround(plot_->xAxis->pixelToCoord(pos.x())));
    if (!plot_->axisRect()->rect().contains(pos.toPoint()) || bit < 0 ||
        bit >= int(values_.size())) {
        QToolTip::hideText();
        return;
    }
    auto line = [bit](const QString& who, const QVector<double>& v) {
        double total = 0;
        for (double x : v) total += x;
        const double pct = total > 0 ? 100.0 * v[bit] / total : 0.0;
        return QStringLiteral("%1: %2 (%3 %)").arg(who).arg(qint64(v[bit])).arg(pct, 0, 'f', 1);
    };
    QString text = bit == 0 ? tr("0 bits (pruned)") : tr("%1 bits").arg(bit);
    if (!layers_.isEmpty()) text += "\n" + line(bars_->name(), values_);
    if (has_pinned_) text += "\n" + line(pinned_bars_->name(), pinned_values_);
    QToolTip::showText(event->globalPosition().toPoint(), text, plot_);
}

void BitHistogram::scheduleReplot() {
    if (!replot_timer_.isActive()) replot_timer_.start();
}

// The legend's row exists only while there is something to name: an empty legend row left the
// axes a third of the dock wide (QCustomPlot's grid sized the row's column from it).
void BitHistogram::showLegendRow(bool shown) {
    QCPLayoutGrid* grid = plot_->plotLayout();
    const bool there = plot_->legend->layout() == grid;
    if (shown && !there) {
        grid->addElement(grid->rowCount(), 0, plot_->legend);
        grid->setRowStretchFactor(grid->rowCount() - 1, 0.001);
    } else if (!shown && there) {
        grid->take(plot_->legend);
        grid->simplify();
    }
    plot_->legend->setVisible(shown);
}

}  // namespace hgq::widgets
