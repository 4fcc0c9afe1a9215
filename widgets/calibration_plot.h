// SPDX-License-Identifier: GPL-3.0-or-later
// Synthesized LUTs against exact EBOPs for every synthesized point (log–log): the calibration
// that tells how far the training-side estimate is from what yosys maps, with the fitted power
// law, its R², and the one-LUT-per-EBOP line for reference. Hover for details; click selects.
#pragma once
#include <QWidget>

#include "plot_data.h"

class QCustomPlot;
class QCPGraph;
class QCPItemText;
class QMouseEvent;

namespace hgq::widgets {

class CalibrationPlot : public QWidget {
    Q_OBJECT
  public:
    explicit CalibrationPlot(QWidget* parent = nullptr);
    void setData(const QVector<SynthPointView>& points, const PowerFitView& fit);
    QCustomPlot* plot() const { return plot_; }
    QString fitText() const;  // what the caption says
    const QVector<SynthPointView>& points() const { return points_; }
    QPointF pixelOf(qint64 point) const;  // (-1, -1) when not drawn
    void setSelectedPoint(qint64 point);  // rings it (0 clears), as on the Pareto plot

  signals:
    void pointClicked(qint64 point);

  private:
    void rebuild();
    void rescale();
    void updateRing();
    int nearest(const QPointF& pixel) const;
    void onMouseMove(QMouseEvent* e);

    QCustomPlot* plot_;
    QCPItemText *caption_, *empty_;
    QVector<SynthPointView> points_;
    PowerFitView fit_;
    qint64 selected_ = 0;
    QCPGraph* ring_ = nullptr;
    bool user_zoomed_ = false;  // the user's view survives data updates until a double-click
    QPoint press_pos_;
};

}  // namespace hgq::widgets
