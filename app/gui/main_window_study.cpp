// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: the study — opening, refreshing the views, selection in both directions, exports.
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QSaveFile>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTableView>

#include <qcustomplot.h>

#include "bit_heatmap.h"
#include "bit_histogram.h"
#include "calibration_plot.h"
#include "export_dialog.h"
#include "budget_bar.h"
#include "main_window.h"
#include "plot_export_dialog.h"
#include "pareto_plot.h"
#include "resources_view.h"
#include "run_table_model.h"
#include "store/study_transfer.h"
#include "synth_panel.h"
#include "compare_panel.h"
#include "whatif_panel.h"
#include "training_curves.h"

namespace hgq::gui {

bool MainWindow::openStudy(const QString& path) {
    try {
        const QString abs = QFileInfo(path).absoluteFilePath();
        {
            // A writable open creates or migrates the file and marks runs orphaned by a crash.
            store::Study writable(abs.toStdString(), store::Study::Open::CreateIfMissing);
        }
        reader_ = std::make_unique<StudyReader>(abs);
        study_ = abs;
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Cannot open the study"), QString::fromUtf8(e.what()));
        return false;
    }
    QSettings settings;
    QStringList recent = settings.value("recentStudies").toStringList();
    recent.removeAll(study_);
    recent.prepend(study_);
    settings.setValue("recentStudies", recent.mid(0, 8));
    updateRecent();
    setWindowTitle(tr("HGQ Studio — %1").arg(QFileInfo(study_).fileName()));
    clearPointViews();
    synth_panel_->setStudy(study_, resources_dir_);
    synth_panel_->setPoint(0, 0, nullptr);
    refresh();
    refresh_timer_.start();
    watchActiveClusterSweep();  // a cluster sweep still running: go on collecting it
    return true;
}

bool MainWindow::newStudy(const QString& path) {
    if (QFileInfo::exists(path)) {
        QMessageBox::warning(
            this, tr("New study"),
            tr("%1 already exists. File → New never replaces a file: a study may hold days of "
               "training. Choose a new name, or open this one with File → Open.")
                .arg(QDir::toNativeSeparators(path)));
        return false;
    }
    return openStudy(path);
}

// Point ids, run ids and layers belong to one study: after switching, nothing of the previous
// study may stay selected, pinned or shown (the same id in the new study is another point).
void MainWindow::clearPointViews() {
    selected_ = 0;
    details_ = {};
    syncing_selection_ = true;
    table_->clearSelection();
    syncing_selection_ = false;
    pareto_->setSelectedPoint(0);
    calibration_->setSelectedPoint(0);
    histogram_->setPoint(QString(), {});
    histogram_->clearPinned();
    pinned_ = 0;
    pareto_->setPinnedPoint(0);
    curves_->setSelectedEpoch(0, 0);
    pin_->setChecked(false);
    pin_->setText(tr("Pin point for comparison"));
    heat_layer_->blockSignals(true);
    heat_layer_->clear();
    heat_layer_->blockSignals(false);
    heatmap_->clear();
    resources_view_->setDetails(nullptr);
    point_label_->clear();
    curves_->setRuns({});
    whatif_->setPoint(study_, 0);
    compare_->setPoints(study_, 0, 0);
}

void MainWindow::refresh() {
    if (!reader_) return;
    try {
        if (!reader_->changed()) return;
        view_ = reader_->read();
    } catch (const std::exception& e) {
        statusBar()->showMessage(QString::fromUtf8(e.what()), 10000);
        return;
    }
    // A model reset (a new run appeared) clears the view's selection: put it back.
    const QVector<qint64> keep = selectedRuns();
    syncing_selection_ = true;
    run_model_->setRuns(view_.runs);
    for (qint64 id : keep) {
        const int row = run_model_->rowOf(id);
        if (row < 0) continue;
        table_->selectionModel()->select(run_proxy_->mapFromSource(run_model_->index(row, 0)),
                                         QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
    syncing_selection_ = false;
    run_counts_->setText(run_model_->statusCounts());
    pareto_->setPoints(view_.points);
    calibration_->setData(view_.synth, view_.fit);
    budget_->setFit(view_.fit);
    synth_panel_->setHistory(view_.synth);
    synth_panel_->setPoint(selected_, details_.point.ebops, view_.synthesis(selected_));
    if (const auto* synth = view_.synthesis(selected_);
        synth && selected_ > 0 && details_.point.luts_synth != synth->luts) {
        details_.point.luts_synth = synth->luts;  // synthesized since it was selected
        resources_view_->setDetails(&details_);
    }
    QVector<QPair<qint64, double>> pending;
    for (const auto& p : widgets::ParetoPlot::front(view_.points))
        if (!p.provisional && p.id > 0 && !view_.synthesis(p.id)) pending.push_back({p.id, p.ebops});
    synth_panel_->setFrontPending(pending);
    curves_->setRuns(reader_->curves(selectedRuns()));
    emit studyRefreshed();
}

QVector<qint64> MainWindow::selectedRuns() const {
    QVector<qint64> ids;
    for (const QModelIndex& i : table_->selectionModel()->selectedRows())
        ids.push_back(run_model_->runs()[run_proxy_->mapToSource(i).row()].id);
    return ids;
}

void MainWindow::selectPoint(qint64 id) {
    if (id < 0)
        statusBar()->showMessage(tr("That run is still training: its points are deployed (exact "
                                    "EBOPs, integer-model accuracy) when it ends"),
                                 6000);
    if (!reader_ || id <= 0) return;
    try {
        details_ = reader_->details(id);
    } catch (const std::exception& e) {
        statusBar()->showMessage(QString::fromUtf8(e.what()), 10000);
        return;
    }
    if (const auto* synth = view_.synthesis(id)) details_.point.luts_synth = synth->luts;
    selected_ = id;
    pareto_->setSelectedPoint(id);
    calibration_->setSelectedPoint(id);
    const widgets::PointView& p = details_.point;
    curves_->setSelectedEpoch(p.run, p.epoch);  // where on its run's curves the point was taken
    const QString label = tr("point %1 (run %2, epoch %3)").arg(p.id).arg(p.run).arg(p.epoch);
    histogram_->setPoint(label, details_.bits);
    const QString layer = heat_layer_->currentText();
    heat_layer_->blockSignals(true);
    heat_layer_->clear();
    for (const auto& k : details_.kernels) heat_layer_->addItem(k.layer);
    const int keep = heat_layer_->findText(layer);
    heat_layer_->setCurrentIndex(keep >= 0 ? keep : 0);
    heat_layer_->blockSignals(false);
    if (details_.kernels.isEmpty()) heatmap_->clear();
    showHeatmapLayer(heat_layer_->currentIndex());
    resources_view_->setDetails(&details_);
    synth_panel_->setPoint(id, p.ebops, view_.synthesis(id));
    whatif_->setPoint(study_, id);
    if (pinned_ > 0 && pinned_ != id) compare_->setPoints(study_, id, pinned_);
    point_label_->setText(tr("Selected %1: test accuracy %2 % (integer model), %3 exact EBOPs")
                              .arg(label)
                              .arg(100 * p.test_accuracy, 0, 'f', 2)
                              .arg(qlonglong(p.ebops)));
    // The run table follows the plot.
    const int row = run_model_->rowOf(p.run);
    if (row >= 0 && !syncing_selection_) {
        syncing_selection_ = true;
        const QModelIndex i = run_proxy_->mapFromSource(run_model_->index(row, 0));
        table_->selectionModel()->select(
            i, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        table_->scrollTo(i);
        curves_->setRuns(reader_->curves(selectedRuns()));
        syncing_selection_ = false;
    }
}

void MainWindow::showHeatmapLayer(int index) {
    if (index >= 0 && index < details_.kernels.size()) heatmap_->setKernel(details_.kernels[index]);
}

// The plot follows the run table: selecting a run selects its most accurate point.
void MainWindow::onRunSelectionChanged() {
    if (syncing_selection_ || !reader_) return;
    const QVector<qint64> runs = selectedRuns();
    curves_->setRuns(reader_->curves(runs));
    if (runs.isEmpty()) return;
    const widgets::PointView* best = nullptr;
    for (const auto& p : view_.points)
        if (p.run == runs.front() && !p.provisional &&
            (!best || p.test_accuracy > best->test_accuracy))
            best = &p;
    if (best) {
        syncing_selection_ = true;
        selectPoint(best->id);
        syncing_selection_ = false;
    }
}

// The pin button toggles: pressed pins the selected point (or moves the pin to it), released
// unpins. Its checked state always says whether a point is pinned.
void MainWindow::pinPoint() {
    const bool unpin = pinned_ > 0 && (selected_ <= 0 || selected_ == pinned_);
    if (unpin || selected_ <= 0) {
        pinned_ = 0;
        histogram_->clearPinned();
        statusBar()->showMessage(unpin ? tr("Unpinned") : tr("Select a point to pin first"), 5000);
    } else {
        pinned_ = selected_;
        histogram_->setPinned(tr("pinned: point %1").arg(selected_), details_.bits);
        statusBar()->showMessage(tr("Point %1 pinned: select another to compare").arg(selected_),
                                 5000);
    }
    pareto_->setPinnedPoint(pinned_);
    compare_->setPoints(study_, pinned_ > 0 && selected_ != pinned_ ? selected_ : 0, pinned_);
    pin_->setChecked(pinned_ > 0);
    pin_->setText(pinned_ > 0 ? tr("Pinned: point %1").arg(pinned_) : tr("Pin point for comparison"));
}

void MainWindow::selectBestUnderBudget() {
    pareto_->flush();  // points that arrived since the last replot count too
    const qint64 best = pareto_->bestUnderBudget();
    if (best == 0) {
        statusBar()->showMessage(pareto_->budget().active
                                     ? tr("No deployed point fits the budget (%1)").arg(pareto_->budget().label)
                                     : tr("Set a budget first"),
                                 6000);
        return;
    }
    selectPoint(best);
    statusBar()->showMessage(tr("Point %1: the most accurate within %2").arg(best).arg(pareto_->budget().label),
                             6000);
}

namespace {
bool save_text(QWidget* parent, const QString& path, const QByteArray& text) {
    QSaveFile f(path);  // atomic: a failed write never leaves half a file
    if (f.open(QIODevice::WriteOnly) && f.write(text) == text.size() && f.commit()) return true;
    QMessageBox::warning(
        parent, QObject::tr("Cannot write"),
        QObject::tr("%1: %2 — choose a writable folder.").arg(path, f.errorString()));
    return false;
}
}  // namespace

void MainWindow::exportPoint() {
    if (selected_ <= 0) return;
    const QString f = QFileDialog::getSaveFileName(
        this, tr("Export point"), QString("point-%1.json").arg(selected_), tr("JSON (*.json)"));
    if (!f.isEmpty() && save_text(this, f, QByteArray::fromStdString(details_.summary.dump(1))))
        statusBar()->showMessage(tr("Point %1 written to %2").arg(selected_).arg(f), 8000);
}

void MainWindow::exportHls() {
    if (selected_ <= 0) return;
    auto* dialog = new ExportDialog(study_, selected_, resources_dir_, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ExportDialog::finished, this, [this](bool ok, const QString&) {
        statusBar()->showMessage(ok ? tr("Export verified bit-exact") : tr("Export failed"), 8000);
    });
    dialog->show();
}

void MainWindow::exportPlot() {
    PlotExportDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted) return;
    writePlot(dialog.path(), dialog.widthPx(), dialog.heightPx(), dialog.scale(), dialog.clean());
}

bool MainWindow::writePlot(const QString& path, int width, int height, double scale, bool clean) {
    if (!path.endsWith(".png", Qt::CaseInsensitive) && !path.endsWith(".pdf", Qt::CaseInsensitive)) {
        QMessageBox::warning(this, tr("Cannot write"),
                             tr("%1: name a .png or .pdf file.").arg(path));
        return false;
    }
    if (!pareto_->saveImage(path, width, height, scale, clean)) {
        QMessageBox::warning(this, tr("Cannot write"),
                             tr("%1 could not be written — choose a writable folder.").arg(path));
        return false;
    }
    statusBar()->showMessage(tr("Plot written to %1 (%2×%3 px)")
                                 .arg(path)
                                 .arg(qRound(width * scale))
                                 .arg(qRound(height * scale)),
                             8000);
    return true;
}

void MainWindow::exportCsv(bool points) {
    const QString f =
        QFileDialog::getSaveFileName(this, points ? tr("Export points") : tr("Export runs"),
                                     points ? "points.csv" : "runs.csv", tr("CSV (*.csv)"));
    if (f.isEmpty() || study_.isEmpty()) return;
    try {
        if (points)
            store::export_points_csv(reader_->study(), f.toStdString());
        else
            store::export_runs_csv(reader_->study(), f.toStdString());
        statusBar()->showMessage(
            (points ? tr("%1 points with their runs' hyperparameters written to %2")
                          .arg(std::count_if(view_.points.begin(), view_.points.end(),
                                             [](const auto& v) { return !v.provisional; }))
                    : tr("%1 runs with their hyperparameters written to %2").arg(view_.runs.size()))
                .arg(f),
            10000);
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Cannot write"), QString::fromUtf8(e.what()));
    }
}

}  // namespace hgq::gui
