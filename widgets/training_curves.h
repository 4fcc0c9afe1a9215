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
class QCPItemText;
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

  public slots:
    // Rescales every panel to its data and resumes following live data.
    void resetZoom();

  private:
    void setupPanels();
    void setupInteractions();
    void rebuild();
    void addRun(const RunCurves& run, const QColor& color);
    void addTarget(const RunCurves& run, const QColor& color);
    void rescale();
    void syncEpochRange(const QCPRange& range);

    QCustomPlot* plot_;
    QCPAxisRect* panels_[PanelCount] = {};
    QCPLegend* legend_ = nullptr;
    QCPItemText* empty_text_ = nullptr;
    QTimer timer_;
    QVector<RunCurves> runs_;
    bool user_zoomed_ = false;
    int replots_ = 0;
};

}  // namespace hgq::widgets
