// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: construction — menus, docks, status bar and the signal wiring between views.
#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

#include "bit_heatmap.h"
#include "bit_histogram.h"
#include "calibration_plot.h"
#include "budget_bar.h"
#include "pareto_plot.h"
#include "resources_view.h"
#include "run_table_model.h"
#include "cluster_watcher.h"
#include "sweep_runner.h"
#include "sweep_setup.h"
#include "synth_panel.h"
#include "compare_panel.h"
#include "whatif_panel.h"
#include "training_curves.h"

namespace hgq::gui {

MainWindow::MainWindow(const QString& study, const QString& resources, QWidget* parent)
    : QMainWindow(parent), resources_dir_(resources) {
    setWindowTitle(tr("HGQ Studio"));
    setWindowIcon(QIcon(":/hgq-studio.svg"));
    pareto_ = new widgets::ParetoPlot;
    curves_ = new widgets::TrainingCurves;
    // Curves need height to be read; as a tab beside the plot they get the whole centre.
    central_ = new QTabWidget;
    central_->setDocumentMode(true);
    central_->addTab(pareto_, tr("Pareto front"));
    central_->addTab(curves_, tr("Training curves"));
    calibration_ = new widgets::CalibrationPlot;
    central_->addTab(calibration_, tr("LUT calibration"));
    // Compare: the selected point (A) against the pinned one (B), with the room of the centre.
    compare_ = new ComparePanel(resources);
    central_->addTab(compare_, tr("Compare"));
    setCentralWidget(central_);
    // The centre tab a user last looked at comes back with the next session.
    central_->setCurrentIndex(QSettings().value("centralTab", 0).toInt());
    connect(central_, &QTabWidget::currentChanged, this,
            [](int tab) { QSettings().setValue("centralTab", tab); });
    runner_ = new SweepRunner(this);
    cluster_ = new ClusterWatcher(this);
    buildDocks();
    buildMenus();
    buildStatusBar();
    connect(pareto_, &widgets::ParetoPlot::pointClicked, this, &MainWindow::selectPoint);
    connect(calibration_, &widgets::CalibrationPlot::pointClicked, this, &MainWindow::selectPoint);
    connect(setup_, &SweepSetup::startRequested, this, &MainWindow::startSweep);
    connect(runner_, &SweepRunner::finished, this, &MainWindow::onSweepFinished);
    connect(cluster_, &ClusterWatcher::finished, this, &MainWindow::onClusterFinished);
    // Coalescing: the study is polled (cheaply: PRAGMA data_version) and the views are redrawn
    // at most 4 times a second, however fast the workers commit epochs.
    refresh_timer_.setInterval(250);
    connect(&refresh_timer_, &QTimer::timeout, this, &MainWindow::refresh);
    progress_timer_.setInterval(200);
    connect(&progress_timer_, &QTimer::timeout, this, &MainWindow::updateProgress);
    restoreLayout();
    if (!study.isEmpty()) openStudy(study);
}

MainWindow::~MainWindow() {
    runner_->cancel();
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(QIcon::fromTheme("document-new"), tr("&New study…"), QKeySequence::New, this,
                    [this] {
                        // No "replace?" question: newStudy never replaces (see there).
                        const QString f = QFileDialog::getSaveFileName(
                            this, tr("New study"), "study.sqlite", tr("Studies (*.sqlite)"),
                            nullptr, QFileDialog::DontConfirmOverwrite);
                        if (!f.isEmpty()) newStudy(f);
                    });
    file->addAction(QIcon::fromTheme("document-open"), tr("&Open study…"), QKeySequence::Open, this,
                    [this] {
                        const QString f = QFileDialog::getOpenFileName(
                            this, tr("Open study"), QString(), tr("Studies (*.sqlite *.db)"));
                        if (!f.isEmpty()) openStudy(f);
                    });
    recent_menu_ = file->addMenu(tr("Open &recent"));
    file->addSeparator();
    file->addAction(tr("Export plot (PNG/PDF)…"), this, &MainWindow::exportPlot);
    file->addAction(tr("Export points as CSV…"), this, [this] { exportCsv(true); });
    file->addAction(tr("Export runs as CSV…"), this, [this] { exportCsv(false); });
    file->addSeparator();
    file->addAction(QIcon::fromTheme("application-exit"), tr("&Quit"), QKeySequence::Quit, this,
                    &QWidget::close);
    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* d : findChildren<QDockWidget*>()) view->addAction(d->toggleViewAction());
    QToolBar* tools = addToolBar(tr("Plot"));
    tools->setObjectName("plotToolbar");
    QAction* front = tools->addAction(tr("Front only"));
    front->setCheckable(true);
    front->setShortcut(shortcutFor("front"));
    front->setObjectName("frontOnlyAction");
    connect(front, &QAction::toggled, pareto_, &widgets::ParetoPlot::setFrontOnly);
    lut_axis_ = tools->addAction(tr("x: synthesized LUTs"));
    lut_axis_->setCheckable(true);
    lut_axis_->setToolTip(
        tr("Put yosys-synthesized LUTs on the Pareto plot's x axis instead of "
           "exact EBOPs (points not synthesized yet are hidden)"));
    connect(lut_axis_, &QAction::toggled, this,
            [this](bool on) { pareto_->setXAxis(on ? widgets::XAxis::SynthLuts : widgets::XAxis::Ebops); });
    tools->addAction(tr("Reset zoom"), pareto_, &widgets::ParetoPlot::resetZoom)
        ->setShortcut(shortcutFor("zoom"));
    // Checked while a point is pinned: the button shows the state, a second press unpins.
    pin_ = tools->addAction(tr("Pin point for comparison"));
    pin_->setCheckable(true);
    pin_->setShortcut(shortcutFor("pin"));
    pin_->setObjectName("pinAction");
    connect(pin_, &QAction::triggered, this, &MainWindow::pinPoint);
    QToolBar* budget_tools = addToolBar(tr("Budget"));
    budget_tools->setObjectName("budgetToolbar");
    budget_ = new BudgetBar(resources_dir_);
    budget_tools->addWidget(budget_);
    connect(budget_, &BudgetBar::budgetChanged, pareto_, &widgets::ParetoPlot::setBudget);
    connect(budget_, &BudgetBar::bestRequested, this, &MainWindow::selectBestUnderBudget);
    buildSweepMenu();
    buildHelpMenu();
    updateRecent();
}

static QDockWidget* dock(QMainWindow* w, const QString& title, const QString& name,
                         QWidget* content, Qt::DockWidgetArea area) {
    auto* d = new QDockWidget(title, w);
    d->setObjectName(name);
    d->setWidget(content);
    w->addDockWidget(area, d);
    return d;
}

void MainWindow::buildDocks() {
    setup_ = new SweepSetup(resources_dir_);
    // Scrolled: the form is taller than a laptop screen, and without a scroll area its height
    // would be the window's minimum height (Start sweep off-window at 1280×720).
    auto* setup_scroll = new QScrollArea;
    setup_scroll->setWidget(setup_);
    setup_scroll->setWidgetResizable(true);
    setup_scroll->setFrameShape(QFrame::NoFrame);
    setup_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setup_scroll->setMinimumWidth(setup_->minimumSizeHint().width() +
                                  setup_scroll->verticalScrollBar()->sizeHint().width());
    dock(this, tr("Sweep setup"), "setupDock", setup_scroll, Qt::LeftDockWidgetArea);
    // The setup keeps the whole left column; the run table sits under the plots only, so it can
    // be made taller without squeezing the form.
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);

    auto* runs = new QWidget;
    auto* rl = new QVBoxLayout(runs);
    auto* bar = new QHBoxLayout;
    run_filter_ = new QLineEdit;
    run_filter_->setPlaceholderText(tr("Filter runs (name, status…)"));
    run_counts_ = new QLabel;
    auto* resume = new QPushButton(tr("Resume selected"));
    auto* csv = new QPushButton(tr("CSV…"));
    bar->addWidget(run_filter_);
    bar->addWidget(run_counts_);
    bar->addWidget(resume);
    bar->addWidget(csv);
    rl->addLayout(bar);
    run_model_ = new widgets::RunTableModel(this);
    run_proxy_ = new QSortFilterProxyModel(this);
    run_proxy_->setSourceModel(run_model_);
    run_proxy_->setSortRole(Qt::UserRole);
    run_proxy_->setFilterKeyColumn(-1);
    run_proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
    table_ = new QTableView;
    table_->setModel(run_proxy_);
    table_->setSortingEnabled(true);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // The name fits its text (never squeezed to nothing on a small screen: the table scrolls
    // sideways instead); the last column takes what is left.
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setWordWrap(false);
    table_->verticalHeader()->hide();
    rl->addWidget(table_);
    dock(this, tr("Runs"), "runsDock", runs, Qt::BottomDockWidgetArea);
    connect(run_filter_, &QLineEdit::textChanged, run_proxy_,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::onRunSelectionChanged);
    connect(resume, &QPushButton::clicked, this, &MainWindow::resumeSelected);
    connect(csv, &QPushButton::clicked, this, [this] { exportCsv(false); });

    histogram_ = new widgets::BitHistogram;
    auto* hist_dock =
        dock(this, tr("Bit-widths"), "histogramDock", histogram_, Qt::RightDockWidgetArea);
    auto* heat = new QWidget;
    auto* hl = new QVBoxLayout(heat);
    heat_layer_ = new QComboBox;
    hl->addWidget(heat_layer_);
    heatmap_ = new widgets::BitHeatmap;
    // Small minimums: on a 1280×720 screen the right column holds two plots and the resources;
    // the plots stay legible at this size and grow with the window.
    heatmap_->setMinimumSize(160, 90);
    histogram_->setMinimumSize(160, 90);
    hl->addWidget(heatmap_, 1);
    auto* heat_dock =
        dock(this, tr("Weight heatmap"), "heatmapDock", heat, Qt::RightDockWidgetArea);
    tabifyDockWidget(hist_dock, heat_dock);
    connect(heat_layer_, &QComboBox::currentIndexChanged, this, &MainWindow::showHeatmapLayer);
    resources_view_ = new ResourcesView;
    synth_panel_ = new SynthPanel;
    auto* res = new QWidget;
    auto* rv = new QVBoxLayout(res);
    rv->setContentsMargins(0, 0, 0, 0);
    rv->addWidget(resources_view_, 1);
    rv->addWidget(synth_panel_);
    dock(this, tr("Resources"), "resourcesDock", res, Qt::RightDockWidgetArea);
    whatif_ = new WhatIfPanel(resources_dir_);
    auto* whatif_scroll = new QScrollArea;
    whatif_scroll->setWidget(whatif_);
    whatif_scroll->setWidgetResizable(true);
    whatif_scroll->setFrameShape(QFrame::NoFrame);
    auto* whatif_dock = dock(this, tr("What if"), "whatifDock", whatif_scroll, Qt::RightDockWidgetArea);
    // A third tab beside the bit views (a tab bar of its own under Resources would cost the
    // window's minimum height on a laptop screen).
    tabifyDockWidget(hist_dock, whatif_dock);
    hist_dock->raise();
    connect(whatif_, &WhatIfPanel::preview, pareto_, &widgets::ParetoPlot::setWhatIf);
    connect(whatif_, &WhatIfPanel::saved, this, [this](qint64 id) {
        refresh();
        selectPoint(id);
        statusBar()->showMessage(
            tr("Saved as point %1: Export and Synthesize take it like any point").arg(id), 8000);
    });
    connect(resources_view_, &ResourcesView::exportRequested, this, &MainWindow::exportHls);
    connect(resources_view_, &ResourcesView::summaryRequested, this, &MainWindow::exportPoint);
}

void MainWindow::buildStatusBar() {
    point_label_ = new QLabel;
    progress_ = new QProgressBar;
    progress_->setRange(0, 1000);
    progress_->setMaximumWidth(260);
    progress_->setTextVisible(true);
    eta_ = new QLabel;
    cancel_ = new QPushButton(QIcon::fromTheme("process-stop"), tr("Cancel"));
    cancel_->setEnabled(false);
    statusBar()->addWidget(point_label_, 1);
    statusBar()->addPermanentWidget(eta_);
    statusBar()->addPermanentWidget(progress_);
    statusBar()->addPermanentWidget(cancel_);
    progress_->hide();
    connect(cancel_, &QPushButton::clicked, this, &MainWindow::cancelSweep);
}

void MainWindow::showDock(const QString& name) {
    const int tab = QStringList{"pareto", "curves", "calibration", "compare"}.indexOf(name);
    if (tab >= 0) {
        central_->setCurrentIndex(tab);
        return;
    }
    if (auto* d = findChild<QDockWidget*>(name)) {
        d->show();
        d->raise();
    }
}

void MainWindow::updateRecent() {
    recent_menu_->clear();
    const QStringList recent = QSettings().value("recentStudies").toStringList();
    for (const QString& f : recent) recent_menu_->addAction(f, this, [this, f] { openStudy(f); });
    recent_menu_->setEnabled(!recent.isEmpty());
}

}  // namespace hgq::gui
