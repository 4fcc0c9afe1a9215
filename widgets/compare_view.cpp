// SPDX-License-Identifier: GPL-3.0-or-later
#include "compare_view.h"

#include <qcustomplot.h>
#include <QComboBox>
#include <QGridLayout>
#include <QLabel>

#include "axis_ticks.h"
#include "bit_histogram.h"
#include "compare_grids.h"

namespace hgq::widgets {

CompareView::CompareView(QWidget* parent) : QWidget(parent) {
    summary_ = new QLabel;
    summary_->setWordWrap(true);
    summary_->setTextFormat(Qt::RichText);
    ebops_ = new QCustomPlot;
    ebops_->setMinimumSize(160, 110);
    ebops_->yAxis->setLabel(tr("exact EBOPs"));
    // No legend over the bars: the summary above names A (blue) and B (orange).
    ebops_->xAxis->setTickLabelRotation(-35);
    layer_ = new QComboBox;
    layer_->setToolTip(tr("The layer whose weights are compared one by one"));
    connect(layer_, &QComboBox::currentIndexChanged, this, &CompareView::setLayer);
    diff_legend_ =
        new QLabel(tr("<span style='color:#c03030'>■</span> more bits in B &nbsp; "
                      "<span style='color:#3050d0'>■</span> fewer &nbsp; "
                      "<span style='color:#b0b0b0'>■</span> same &nbsp; "
                      "<span style='color:#1e963c'>■</span> pruned in A only &nbsp; "
                      "■ pruned in B only &nbsp; □ pruned in both"));
    diff_legend_->setWordWrap(true);
    diff_ = new BitDiffMap;
    hist_ = new BitHistogram;  // A as the bars, B as the hatched overlay
    hist_->setMinimumSize(160, 110);
    conf_a_ = new ConfusionGrid;
    conf_b_ = new ConfusionGrid;
    auto* grid = new QGridLayout(this);
    grid->addWidget(summary_, 0, 0, 1, 2);
    grid->addWidget(ebops_, 1, 0);
    auto* diff_box = new QVBoxLayout;
    diff_box->addWidget(layer_);
    diff_box->addWidget(diff_, 1);
    diff_box->addWidget(diff_legend_);
    grid->addLayout(diff_box, 1, 1);
    grid->addWidget(hist_, 2, 0);
    auto* conf = new QHBoxLayout;
    conf->addWidget(conf_a_);
    conf->addWidget(conf_b_);
    grid->addLayout(conf, 2, 1);
    grid->setRowStretch(1, 1);
    grid->setRowStretch(2, 1);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    clear(tr("Select a point and pin another (Ctrl+Shift+P) to compare them"));
}

void CompareView::clear(const QString& note) {
    c_ = {};
    summary_->setText(note);
    ebops_->clearPlottables();
    ebops_->replot();
    layer_->clear();
    diff_->setKernels(nullptr, nullptr);
    hist_->setPoint(QString(), {});
    hist_->clearPinned();
    conf_a_->setMatrix({}, {});
    conf_b_->setMatrix({}, {});
}

void CompareView::setComparison(const ComparisonView& c) {
    c_ = c;
    summary_->setText(c.summary);
    fillEbops();
    const QString keep = layer_->currentText();
    layer_->blockSignals(true);
    layer_->clear();
    for (const auto& k : c.kernels_a) layer_->addItem(k.layer);
    const int at = layer_->findText(keep);
    layer_->setCurrentIndex(at >= 0 ? at : 0);
    layer_->blockSignals(false);
    setLayer(layer_->currentIndex());
    hist_->setPoint(tr("A: %1").arg(c.label_a), c.bits_a);
    hist_->setPinned(tr("B: %1").arg(c.label_b), c.bits_b);
    conf_a_->setMatrix(tr("A: %1").arg(c.label_a), c.confusion_a);
    conf_b_->setMatrix(tr("B: %1").arg(c.label_b), c.confusion_b);
    for (ConfusionGrid* g : {conf_a_, conf_b_})
        g->setToolTip(
            tr("Confusion matrix on the test split: rows are the true class, columns the "
               "predicted one"));
}

void CompareView::fillEbops() {
    ebops_->clearPlottables();
    auto* group = new QCPBarsGroup(ebops_);
    QSharedPointer<QCPAxisTickerText> ticks(new QCPAxisTickerText);
    QVector<double> keys;
    for (int i = 0; i < c_.layers.size(); ++i) {
        keys.push_back(i + 1);
        ticks->addTick(i + 1, c_.layers[i]);
    }
    ebops_->xAxis->setTicker(ticks);
    const QColor colors[2] = {QColor(40, 90, 180), QColor(230, 120, 0)};
    const QString names[2] = {tr("A: %1").arg(c_.label_a), tr("B: %1").arg(c_.label_b)};
    const QVector<double>* values[2] = {&c_.ebops_a, &c_.ebops_b};
    double top = 1;
    for (int s = 0; s < 2; ++s) {
        auto* bars = new QCPBars(ebops_->xAxis, ebops_->yAxis);
        bars->setName(names[s]);
        bars->setPen(Qt::NoPen);
        bars->setBrush(colors[s]);
        bars->setWidth(0.38);
        bars->setBarsGroup(group);
        bars->setData(keys, *values[s], true);
        for (double v : *values[s]) top = std::max(top, v);
    }
    ebops_->xAxis->setRange(0.4, c_.layers.size() + 0.6);
    ebops_->yAxis->setRange(0, top * 1.15);
    ebops_->replot();
}

void CompareView::setLayer(int index) {
    const bool ok = index >= 0 && index < c_.kernels_a.size() && index < c_.kernels_b.size();
    diff_->setKernels(ok ? &c_.kernels_a[index] : nullptr, ok ? &c_.kernels_b[index] : nullptr);
    if (!ok) return;
    const BitDiffCounts n = bit_diff_counts(c_.kernels_a[index], c_.kernels_b[index]);
    diff_->setToolTip(tr("%1: B has more bits in %2 weights, fewer in %3, the same in %4; pruned "
                         "in A only %5, in B only %6, in both %7")
                          .arg(c_.kernels_a[index].layer)
                          .arg(n.more)
                          .arg(n.fewer)
                          .arg(n.same)
                          .arg(n.pruned_a_only)
                          .arg(n.pruned_b_only)
                          .arg(n.pruned_both));
}

BitDiffCounts CompareView::shownDiff() const {
    const int i = layer_->currentIndex();
    if (i < 0 || i >= c_.kernels_a.size() || i >= c_.kernels_b.size()) return {};
    return bit_diff_counts(c_.kernels_a[i], c_.kernels_b[i]);
}

}  // namespace hgq::widgets
