// SPDX-License-Identifier: GPL-3.0-or-later
// Bit-width histogram of one point: how many weights (or activations) of one layer — or of all
// layers summed — got b bits, b = 0 (pruned) … max. A second, pinned point can be overlaid as
// hatched outlined bars for a side-by-side reading of two trade-offs.
#pragma once
#include <QTimer>
#include <QWidget>

#include "plot_data.h"

class QAbstractButton;
class QComboBox;
class QCPBars;
class QCPItemText;
class QCPTextElement;
class QCustomPlot;
class QMouseEvent;

namespace hgq::widgets {

class BitHistogram : public QWidget {
    Q_OBJECT
  public:
    enum class Kind { Weights, Activations };
    Q_ENUM(Kind)

    explicit BitHistogram(QWidget* parent = nullptr);

    // The point shown as filled bars; an empty `layers` returns to the "Select a point" state.
    void setPoint(const QString& label, const QVector<LayerBits>& layers);
    // The overlaid point. Its layers are matched to the shown point's by name, else by index.
    void setPinned(const QString& label, const QVector<LayerBits>& layers);
    void clearPinned();
    bool hasPinned() const { return has_pinned_; }

    void setKind(Kind kind);
    Kind kind() const { return kind_; }
    void setLayer(int index);  // -1 = all layers summed; out-of-range indices select all
    int layer() const { return layer_; }

    // Element-wise sum of the layers' histograms (as long as the longest one).
    static QVector<qint64> sumLayers(const QVector<LayerBits>& layers, Kind kind);
    // The counts drawn for bits 0..N; both vectors have the same length, N being the highest
    // bit-width with a non-zero count in either point (empty when nothing is shown).
    QVector<double> barValues() const { return values_; }
    QVector<double> pinnedValues() const { return pinned_values_; }

    QCustomPlot* plot() const { return plot_; }
    QComboBox* layerBox() const { return layer_box_; }
    QAbstractButton* weightsButton() const { return weights_button_; }
    QAbstractButton* activationsButton() const { return acts_button_; }

  signals:
    void layerChanged(int index);
    void kindChanged(hgq::widgets::BitHistogram::Kind kind);

  private:
    void buildControls();
    void buildPlot();
    void fillLayerBox();
    void rebuild();
    void showValues(int bins);
    void showLegendRow(bool shown);
    QVector<qint64> histogramOf(const QVector<LayerBits>& layers, bool pinned) const;
    void showTip(QMouseEvent* event);
    void scheduleReplot();

    QString label_, pinned_label_;
    QVector<LayerBits> layers_, pinned_;
    bool has_pinned_ = false;
    Kind kind_ = Kind::Weights;
    int layer_ = -1;
    QVector<double> values_, pinned_values_;

    QComboBox* layer_box_ = nullptr;
    QAbstractButton* weights_button_ = nullptr;
    QAbstractButton* acts_button_ = nullptr;
    QCustomPlot* plot_ = nullptr;
    QCPTextElement* title_ = nullptr;
    QCPBars* pruned_bars_ = nullptr;  // bit 0 only, in its own neutral colour
    QCPBars* bars_ = nullptr;         // bits 1..N
    QCPBars* pinned_bars_ = nullptr;  // all bits of the pinned point, hatched, drawn on top
    QCPItemText* empty_text_ = nullptr;
    QTimer replot_timer_;
};

}  // namespace hgq::widgets
