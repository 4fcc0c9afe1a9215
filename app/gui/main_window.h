// SPDX-License-Identifier: GPL-3.0-or-later
// HGQ Studio's main window: the Pareto plot in the centre; docks for the sweep setup, the run
// table, training curves, bit-width views and resources; a status bar with progress, ETA and
// Cancel. It only wires views together — each view is its own class, the study is read by
// StudyReader and sweeps run in SweepRunner's worker threads.
#pragma once
#include <QMainWindow>
#include <QKeySequence>
#include <QTimer>
#include <memory>

#include "study_reader.h"

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QAction;
class QComboBox;
class QMenu;
class QTabWidget;

namespace hgq::widgets {
class ParetoPlot;
class TrainingCurves;
class BitHistogram;
class BitHeatmap;
class RunTableModel;
class CalibrationPlot;
}  // namespace hgq::widgets

namespace hgq::gui {

class SweepSetup;
class BudgetBar;
class SweepRunner;
class ClusterWatcher;
struct SweepRequest;
class ResourcesView;
class SynthPanel;
class ComparePanel;
class WhatIfPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    MainWindow(const QString& study, const QString& resources, QWidget* parent = nullptr);
    ~MainWindow() override;

    bool openStudy(const QString& path);  // creates it if missing; false (and a message) on error
    // File → New: a new, empty study. An existing file is never replaced — a study holds days
    // of training and may be open in a terminal's `hgq` — it is refused with a message saying so.
    bool newStudy(const QString& path);
    void selectPoint(qint64 id);
    void startSweep();
    void cancelSweep();
    void refresh();  // reads the study now if anything changed

    // The parts, for tests and screenshots.
    widgets::ParetoPlot* pareto() const { return pareto_; }
    widgets::TrainingCurves* curves() const { return curves_; }
    widgets::BitHistogram* histogram() const { return histogram_; }
    widgets::BitHeatmap* heatmap() const { return heatmap_; }
    SweepSetup* setup() const { return setup_; }
    QTableView* runTable() const { return table_; }
    widgets::RunTableModel* runModel() const { return run_model_; }
    SweepRunner* runner() const { return runner_; }
    ClusterWatcher* clusterWatcher() const { return cluster_; }
    ResourcesView* resources() const { return resources_view_; }
    BudgetBar* budgetBar() const { return budget_; }
    SynthPanel* synthPanel() const { return synth_panel_; }
    widgets::CalibrationPlot* calibration() const { return calibration_; }
    ComparePanel* comparePanel() const { return compare_; }
    WhatIfPanel* whatIfPanel() const { return whatif_; }
    QAction* lutAxisAction() const { return lut_axis_; }
    QComboBox* heatmapLayerBox() const { return heat_layer_; }
    qint64 selectedPoint() const { return selected_; }
    const QString& studyPath() const { return study_; }
    // Raises a tabbed dock by object name, or the centre's "pareto" / "curves" / "calibration" /
    // "compare" tab.
    void showDock(const QString& object_name);
    // Window geometry, dock layout and the sweep setup, as the user left them (main_window_layout).
    void saveLayout();
    void restoreLayout();

    struct Shortcut {
        QString name;
        QKeySequence keys;
        QString what;
    };
    static const QVector<Shortcut>& shortcuts();  // main_window_help.cpp; Help lists them
    static QKeySequence shortcutFor(const QString& name);
    QAction* pinAction() const { return pin_; }
    // File → Export plot without its dialog: the Pareto plot at width×height layout pixels ×
    // scale, clean (no selection ring or pin marker) or as shown; false (and a message) on error.
    bool writePlot(const QString& path, int width, int height, double scale, bool clean);
    qint64 pinnedPoint() const { return pinned_; }

  protected:
    void closeEvent(QCloseEvent* event) override;

  signals:
    void studyRefreshed();
    void sweepFinished(QStringList statuses);
    void clusterSweepFinished(QString error);

  private:
    void fitToScreen();  // the first start: a size that fits the screen
    void buildMenus();
    void buildSweepMenu();
    void buildHelpMenu();
    void buildDocks();
    void buildStatusBar();
    void updateRecent();
    void onRunSelectionChanged();
    void onSweepFinished(const QStringList& statuses, const QString& error);
    void onClusterFinished(const QString& error);
    void startClusterSweep(const SweepRequest& req);
    void watchActiveClusterSweep();  // after opening a study
    void showBusy(bool busy);
    void updateProgress();
    void showHeatmapLayer(int index);
    void exportPoint();  // the summary JSON
    void exportHls();
    void exportPlot();
    void exportCsv(bool points);
    void resumeSelected();
    void pinPoint();
    void selectBestUnderBudget();
    void clearPointViews();  // nothing selected, pinned or shown from the previous study
    QVector<qint64> selectedRuns() const;

    QString study_, resources_dir_;
    std::unique_ptr<StudyReader> reader_;
    StudyView view_;
    PointDetails details_;
    qint64 selected_ = 0;
    QTimer refresh_timer_, progress_timer_;
    QTabWidget* central_ = nullptr;
    widgets::ParetoPlot* pareto_ = nullptr;
    widgets::TrainingCurves* curves_ = nullptr;
    widgets::BitHistogram* histogram_ = nullptr;
    widgets::BitHeatmap* heatmap_ = nullptr;
    widgets::RunTableModel* run_model_ = nullptr;
    QSortFilterProxyModel* run_proxy_ = nullptr;
    QTableView* table_ = nullptr;
    QLineEdit* run_filter_ = nullptr;
    QLabel *run_counts_ = nullptr, *eta_ = nullptr, *point_label_ = nullptr;
    QComboBox* heat_layer_ = nullptr;
    SweepSetup* setup_ = nullptr;
    SweepRunner* runner_ = nullptr;
    ClusterWatcher* cluster_ = nullptr;
    ResourcesView* resources_view_ = nullptr;
    SynthPanel* synth_panel_ = nullptr;
    widgets::CalibrationPlot* calibration_ = nullptr;
    ComparePanel* compare_ = nullptr;
    WhatIfPanel* whatif_ = nullptr;
    QAction* lut_axis_ = nullptr;
    QAction* pin_ = nullptr;
    qint64 pinned_ = 0;
    BudgetBar* budget_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QMenu* recent_menu_ = nullptr;
    bool syncing_selection_ = false;
};

}  // namespace hgq::gui
