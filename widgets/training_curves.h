// SPDX-License-Identifier: GPL-3.0-or-later
// Per-epoch training curves of the selected runs in four panels of one QCustomPlot: loss,
// validation accuracy (%), EBOPs (log) and beta (log), one line per run in its run colour.
// The panels share the epoch axis; updates are coalesced like the Pareto plot's. A run steered
// to a target EBOPs also gets the target as a dashed line in its colour on the EBOPs panel.
#pragma once
#include <QTimer>
#include <QVector>
#include <QWidget>

#include "plot_data.h"

class QCustomPlot;
class QCPAxisRect;
class QCPItemStraightLine;
class QCPItemText;
class QMouseEvent;
class QCPLegend;
class QCPRange;

namespace hgq::widgets {

class TrainingCurves : public QWidget {
    Q_OBJECT
  public:
    enum Panel { Loss, ValAccuracy, Ebops, Beta, PanelCount };

    explicit TrainingCurves(QWidget* parent = nullptr);

    // Replaces all curves; run i is drawn in run_color(i). Accuracies are fractions (as stored
    // by the engine) and shown × 100. EBOPs and beta <= 0 are left out of their log panels.
    void setRuns(const QVector<RunCurves>& runs);
    // Applies pending data and replots now (before an export, or in tests).
    void flush();

    QCustomPlot* plot() const { return plot_; }
    // The panel's axis rect; panel(p)->graphs() holds one graph per run.
    QCPAxisRect* panel(Panel p) const { return panels_[p]; }
    // Replots actually done (QCustomPlot::afterReplot), to check that updates coalesce.
    int replotCount() const { return replots_; }
    // The epoch marked by setSelectedEpoch (run 0: none).
    qint64 selectedEpochRun() const { return epoch_run_; }
    int selectedEpoch() const { return epoch_; }
    // Panel p's marker line (visible while the marked run is among the curves).
    QCPItemStraightLine* epochMarker(Panel p) const { return epoch_lines_[p]; }
    // The tooltip for a pointer at `pos` (plot() coordinates): the run nearest to it on the
    // panel under it, at the nearest epoch — "run name (#id), epoch E, panel: value"; empty
    // when nothing is within reach. Hovering shows it.
    QString tooltipAt(const QPointF& pos) const;

  public slots:
    // Rescales every panel to its data and resumes following live data.
    void resetZoom();
    // A vertical line at `epoch` on every panel, in run `run`'s colour, with an "epoch N" label
    // (the selected point's epoch); run 0 clears. Kept across setRuns; hidden while the run is
    // not among the curves.
    void setSelectedEpoch(qint64 run, int epoch);

  private:
    void setupPanels();
    void setupInteractions();
    void rebuild();
    void addRun(const RunCurves& run, const QColor& color);
    void addTarget(const RunCurves& run, const QColor& color);
    void rescale();
    void syncEpochRange(const QCPRange& range);
    void updateEpochMarker();
    void onMouseMove(QMouseEvent* e);

    QCustomPlot* plot_;
    QCPAxisRect* panels_[PanelCount] = {};
    QCPLegend* legend_ = nullptr;
    QCPItemText* empty_text_ = nullptr;
    QCPItemStraightLine* epoch_lines_[PanelCount] = {};
    QCPItemText* epoch_text_ = nullptr;
    qint64 epoch_run_ = 0;
    int epoch_ = 0;
    QTimer timer_;
    QVector<RunCurves> runs_;
    bool user_zoomed_ = false;
    int replots_ = 0;
};

}  // namespace hgq::widgets
