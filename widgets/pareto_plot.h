// SPDX-License-Identifier: GPL-3.0-or-later
// The accuracy-vs-EBOPs plot of a study: every deployed point as a scatter dot coloured by run,
// the Pareto front over all points as a dark staircase, hover details, click-to-select, wheel and
// rubber-band zoom. Live updates are coalesced into at most one replot per ~33 ms.
#pragma once
#include <QPointF>
#include <QTimer>
#include <QVector>
#include <QWidget>

#include "plot_data.h"

class QCustomPlot;
class QCPRange;
class QCPGraph;
class QCPItemText;
class QCPItemRect;
class QCPItemStraightLine;
class QMouseEvent;

namespace hgq::widgets {

class ParetoPlot : public QWidget {
    Q_OBJECT
  public:
    explicit ParetoPlot(QWidget* parent = nullptr);

    // The non-dominated points, EBOPs ascending (ties: accuracy descending, then id ascending).
    // Accuracies are fractions (as stored by the engine); the plot shows them × 100.
    // A point is dominated if another has ebops <= and test_accuracy >= with at least one strict.
    // Exact duplicates (same ebops and accuracy) do not dominate each other: all are kept.
    // Points whose ebops or test_accuracy is not finite are ignored.
    // `axis` picks the cost: exact EBOPs (the default, as above) or synthesized LUTs, where
    // points not synthesized (luts_synth = 0) are ignored.
    static QVector<PointView> front(const QVector<PointView>& pts, XAxis axis = XAxis::Ebops);

    // The vertices of the front's staircase in (cost, 100·test_accuracy) coordinates, the cost
    // being exact EBOPs or synthesized LUTs as `axis` says.
    // Let f_1..f_n be front(pts) with exact duplicates collapsed to one point, so both ebops and
    // accuracy strictly increase. The vertices are
    //   f_1, (f_2.x, f_1.y), f_2, (f_3.x, f_2.y), f_3, ..., (f_n.x, f_{n-1}.y), f_n
    // i.e. 2n-1 vertices: from each front point the line goes right to the next point's EBOPs,
    // then up to its accuracy — the best accuracy available for a budget is the left point's.
    // An empty input gives an empty list; a single front point gives one vertex.
    static QVector<QPointF> frontStaircase(const QVector<PointView>& pts,
                                           XAxis axis = XAxis::Ebops);

    // Replaces all points. Cheap: the data is stored and one replot is scheduled.
    void setPoints(const QVector<PointView>& points);
    qint64 selectedPoint() const { return selected_; }
    bool frontOnly() const { return front_only_; }
    XAxis xAxis() const { return x_axis_; }

    // Applies pending data and replots now (before an export, or in tests).
    void flush();

    QCustomPlot* plot() const { return plot_; }
    // Replots actually done (QCustomPlot::afterReplot), to check that updates coalesce.
    int replotCount() const { return replots_; }
    // Where a drawn point is, in plot() widget coordinates; (-1, -1) if it is not drawn.
    // Valid once the pending replot has happened (flush() forces it).
    QPointF pixelOf(qint64 id) const;
    const QVector<PointView>& points() const { return points_; }

    // The budget drawn (inactive: none).
    const BudgetView& budget() const { return budget_; }
    // The most accurate deployed point within the budget on the current axis (ties: the cheaper,
    // then the lower id); 0 when no budget is set or nothing fits.
    qint64 bestUnderBudget() const;

  public slots:
    void setBudget(const BudgetView& budget);
    // Rings point `id` (0 clears). Does not emit pointClicked.
    void setSelectedPoint(qint64 id);
    // Hides the dominated points (the front stays visible).
    void setFrontOnly(bool on);
    // Cost on the x axis: exact EBOPs, or synthesized LUTs (unsynthesized points hidden).
    void setXAxis(XAxis axis);
    // Rescales to all shown points and resumes following live data.
    void resetZoom();

  signals:
    void pointClicked(qint64 id);

  private:
    void setupAxes();
    void setupInteractions();
    void rebuild();
    void addRunGraphs();
    void addFrontGraph(const QVector<PointView>& front_points);
    void updateSelectionGraph();
    void rescale();
    void updateTicker(const QCPRange& range);
    void updateBudgetItems();  // pareto_budget.cpp
    void scheduleReplot();
    int nearest(const QPointF& pixel) const;  // index into points_, -1 if none within reach
    void onMouseMove(QMouseEvent* e);
    void onMouseRelease(QMouseEvent* e);
    void onRectAccepted(const QRect& rect);

    QCustomPlot* plot_;
    QCPGraph* selection_graph_ = nullptr;
    QCPItemText* empty_text_ = nullptr;
    QCPItemText* skipped_text_ = nullptr;
    BudgetView budget_;
    QCPItemStraightLine* budget_line_ = nullptr;
    QCPItemRect* budget_shade_ = nullptr;
    QCPItemText* budget_text_ = nullptr;
    QTimer timer_;
    QVector<PointView> pending_, points_;  // points_: what is drawn; pending_: what comes next
    QVector<int> shown_;                   // indices into points_ of the drawn dots
    bool dirty_ = false, front_only_ = false, user_zoomed_ = false;
    XAxis x_axis_ = XAxis::Ebops;
    qint64 selected_ = 0, hovered_ = 0;
    QPoint press_pos_;
    int replots_ = 0;
    bool narrow_ticks_ = false;
    bool many_ = false;  // thousands of dots: cheaper markers
};

}  // namespace hgq::widgets
