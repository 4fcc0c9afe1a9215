// SPDX-License-Identifier: GPL-3.0-or-later
// The accuracy-vs-EBOPs plot of a study: every deployed point as a scatter dot coloured by run,
// the Pareto front over all points as a dark staircase, hover details, click-to-select, wheel and
// rubber-band zoom. Live updates are coalesced into at most one replot per ~33 ms.
#pragma once
#include <QPair>
#include <QPointF>
#include <QSet>
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
class QCPItemLine;
class QCPLegend;
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

    // The point marked as pinned (0: none): a diamond outline with a "pinned" label, distinct
    // from the selection ring, kept across setPoints and rebuilds.
    qint64 pinnedPoint() const { return pinned_; }

    // Writes the plot as PNG (or PDF when `path` ends in .pdf) of width × height logical pixels
    // at `scale` device pixels per logical pixel (a PNG is width·scale × height·scale; a PDF
    // ignores scale). width/height <= 0: the widget's size. `clean` leaves out the selection
    // ring and the pinned marker (the hover tooltip is never drawn into an image); the view is
    // restored afterwards. Ticks and legend are laid out for the export size.
    bool saveImage(const QString& path, int width, int height, double scale, bool clean);

    // The legend: a block below the axes (never over the data) with the front, one entry for all
    // still-training points and the runs, names elided; when the runs do not fit in a few rows,
    // the runs on the front (and the selected and pinned points' runs) are shown first, then a
    // "+K more runs" entry. legendShown() false hides it.
    QCPLegend* legend() const { return legend_; }
    bool legendShown() const { return legend_shown_; }
    // Runs listed in the legend, and how many did not fit ("+K more runs"), after the last replot.
    int legendRuns() const { return legend_runs_; }
    int legendMoreRuns() const { return legend_more_; }

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
    // Marks point `id` as pinned (0 clears). Does not select it.
    void setPinnedPoint(qint64 id);
    void setLegendShown(bool on);
    // A what-if preview (pareto_whatif.cpp): a star at (ebops, 100·test_accuracy) joined to
    // point `parent` by a dashed line, on the EBOPs axis; parent 0 clears it.
    void setWhatIf(qint64 parent, double ebops, double test_accuracy);

  public:
    // Where the what-if star is drawn, in plot() coordinates; (-1, -1) when it is not.
    QPointF whatIfPixel() const;
    // Dashed lines drawn from derived points to their parents (after the last replot).
    int derivedLinks() const { return int(derived_links_.size()); }

  signals:
    void pointClicked(qint64 id);

  protected:
    void resizeEvent(QResizeEvent* e) override;

  private:
    void setupAxes();
    void setupInteractions();
    void rebuild();
    void addRunGraphs();
    void addFrontGraph(const QVector<PointView>& front_points);
    void updateSelectionGraph();
    void updatePinned();
    void updateWhatIf();  // pareto_whatif.cpp: the preview and the derived points' links
    void updateLegend(int width, int height);
    void rescale();
    void updateBudgetItems();  // pareto_budget.cpp
    void scheduleReplot();
    int nearest(const QPointF& pixel) const;  // index into points_, -1 if none within reach
    void onMouseMove(QMouseEvent* e);
    void onMouseRelease(QMouseEvent* e);
    void onRectAccepted(const QRect& rect);

    QCustomPlot* plot_;
    QCPGraph* selection_graph_ = nullptr;
    QCPGraph* pinned_graph_ = nullptr;
    QCPItemText* pinned_text_ = nullptr;
    QCPGraph* whatif_graph_ = nullptr;
    QVector<QCPItemLine*> derived_links_;  // derived point → parent, and the preview's
    qint64 whatif_parent_ = 0;
    double whatif_ebops_ = 0, whatif_acc_ = 0;
    QCPGraph* provisional_key_ = nullptr;  // the one legend entry of all still-training points
    QCPLegend* legend_ = nullptr;
    QVector<QPair<QCPGraph*, qint64>> run_graphs_;  // deployed points' graph of each run
    QSet<qint64> front_runs_;                       // runs with a point on the front
    bool legend_shown_ = true;
    int legend_runs_ = 0, legend_more_ = 0;
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
    qint64 selected_ = 0, hovered_ = 0, pinned_ = 0;
    QPoint press_pos_;
    int replots_ = 0;
    bool many_ = false;  // thousands of dots: cheaper markers
};

}  // namespace hgq::widgets
