// SPDX-License-Identifier: GPL-3.0-or-later
// Two points side by side (the selected and the pinned): exact EBOPs per layer as paired bars,
// the per-weight bit difference of one layer on a diverging scale (pruned in one, in the other,
// in both marked apart), and both confusion matrices. The app fills a ComparisonView from the
// engine's comparison; the view knows nothing of the engine.
#pragma once
#include <QStringList>
#include <QWidget>

#include "plot_data.h"

class QComboBox;
class QCustomPlot;
class QLabel;

namespace hgq::widgets {

struct ComparisonView {
    QString label_a, label_b;  // "point 12", "point 9"
    QString summary;           // the totals, one line each (rich text allowed)
    QStringList layers;        // every layer with EBOPs, model order
    QVector<double> ebops_a, ebops_b;
    QVector<KernelView> kernels_a, kernels_b;  // dense/conv kernels, same layers in both
    QVector<LayerBits> bits_a, bits_b;          // bit histograms per layer, overlaid
    QVector<QVector<qint64>> confusion_a, confusion_b;  // [true][predicted]
    QStringList classes;
};

// Per-weight comparison of one kernel, B against A.
struct BitDiffCounts {
    qint64 more = 0, fewer = 0, same = 0;                // both unpruned
    qint64 pruned_a_only = 0, pruned_b_only = 0, pruned_both = 0;
};
BitDiffCounts bit_diff_counts(const KernelView& a, const KernelView& b);

class BitDiffMap;
class BitHistogram;
class ConfusionGrid;

class CompareView : public QWidget {
    Q_OBJECT
  public:
    explicit CompareView(QWidget* parent = nullptr);
    void setComparison(const ComparisonView& c);
    void clear(const QString& note);  // nothing compared; `note` says why
    void setLayer(int index);         // the kernel whose bit difference is shown
    QCustomPlot* ebopsPlot() const { return ebops_; }
    QComboBox* layerBox() const { return layer_; }
    BitHistogram* histogram() const { return hist_; }
    QLabel* summaryLabel() const { return summary_; }
    const ComparisonView& comparison() const { return c_; }
    BitDiffCounts shownDiff() const;  // of the layer shown

  private:
    void fillEbops();
    ComparisonView c_;
    QLabel* summary_;
    QCustomPlot* ebops_;
    BitHistogram* hist_;
    QComboBox* layer_;
    QLabel* diff_legend_;
    BitDiffMap* diff_;
    ConfusionGrid *conf_a_, *conf_b_;
};

}  // namespace hgq::widgets
