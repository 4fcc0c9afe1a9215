// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: sweeps — creating the runs, starting and cancelling the worker pool, progress/ETA,
// resuming interrupted runs.
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>
#include <QThread>

#include "cluster_watcher.h"
#include "jobs/cluster_job.h"
#include "jobs/sweep_plan.h"
#include "main_window.h"
#include "run_table_model.h"
#include "sweep_runner.h"
#include "sweep_setup.h"

namespace hgq::gui {
namespace {
QString eta_text(double s) {
    if (s < 0) return QObject::tr("ETA –");
    if (s < 90) return QObject::tr("ETA %1 s").arg(int(s));
    if (s < 5400) return QObject::tr("ETA %1 min").arg(int(s / 60 + 0.5));
    return QObject::tr("ETA %1 h").arg(s / 3600, 0, 'f', 1);
}
}  // namespace

void MainWindow::startSweep() {
    // Never silently: say why nothing starts.
    if (study_.isEmpty()) {
        statusBar()->showMessage(
            tr("No study is open: File → New… or File → Open… first; the sweep's runs are "
               "stored there"),
            15000);
        return;
    }
    if (runner_->running() || cluster_->active()) {
        statusBar()->showMessage(tr("A sweep is running: wait for it or Cancel it first"), 10000);
        return;
    }
    SweepRequest req;
    jobs::CreatedRuns created;
    std::map<int64_t, int> planned;
    std::vector<ExperimentConfig> configs;
    try {
        req = setup_->request();
        if (req.cluster) return startClusterSweep(req);
        store::Study study(study_.toStdString(), store::Study::Open::Existing);
        created = jobs::create_runs(study, req.plan);
        for (size_t i = 0; i < created.runs.size(); ++i) {
            planned[created.runs[i]] = req.plan.runs[i].parsed.training.epochs;
            configs.push_back(req.plan.runs[i].parsed);
        }
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Cannot start the sweep"), QString::fromUtf8(e.what()));
        return;
    }
    const std::vector<int64_t>& runs = created.runs;
    runner_->start(study_, runs, planned, req.parallel, std::max(1, QThread::idealThreadCount()),
                   std::move(configs), resources_dir_);
    showBusy(true);
    showDock("pareto");
    statusBar()->showMessage(tr("Sweep of %n run(s) started", "", int(runs.size())), 5000);
    refresh();
}

void MainWindow::resumeSelected() {
    if (runner_->running() || cluster_->active()) return;
    std::vector<int64_t> runs;
    std::map<int64_t, int> planned;
    for (qint64 id : selectedRuns()) {
        const auto& row = run_model_->runs()[run_model_->rowOf(id)];
        if (row.status == "interrupted" || row.status == "cancelled" || row.status == "failed" ||
            row.status == "queued") {
            runs.push_back(id);
            planned[id] = row.epochs_planned;
        }
    }
    if (runs.empty()) {
        statusBar()->showMessage(tr("Select interrupted, cancelled or failed runs to resume"),
                                 5000);
        return;
    }
    runner_->start(study_, runs, planned, 1, std::max(1, QThread::idealThreadCount()), {},
                   resources_dir_);
    showBusy(true);
}

// A cluster sweep: submitted and collected in the watcher's thread (sbatch may take a while on a
// busy cluster; the window never waits for it).
void MainWindow::startClusterSweep(const SweepRequest& req) {
    const QString hgq = hgq_binary_for_tasks();
    if (hgq.isEmpty()) {
        QMessageBox::warning(this, tr("Cannot submit the sweep"),
                             tr("The hgq command line the cluster tasks run was found neither "
                                "beside HGQ Studio nor on PATH."));
        return;
    }
    if (!cluster_->submit(study_, req, hgq)) return;
    showBusy(true);
    showDock("pareto");
    statusBar()->showMessage(tr("Submitting %n run(s) to SLURM", "", int(req.plan.runs.size())),
                             5000);
}

void MainWindow::watchActiveClusterSweep() {
    cluster_->stop();
    try {
        store::Study study(study_.toStdString(), store::Study::Open::ReadOnly);
        for (int64_t sweep : jobs::cluster_sweeps(study))
            for (const auto& t : study.cluster_tasks(sweep))
                if (!t.job_id.empty() && !cluster::ended(t.state) &&
                    study.run(t.run_id).status != "done") {
                    cluster_->watch(study_, sweep);
                    showBusy(true);
                    return;
                }
    } catch (const std::exception&) {  // an older study without cluster sweeps
    }
}

void MainWindow::onClusterFinished(const QString& error) {
    showBusy(false);
    eta_->clear();
    refresh();
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("The cluster sweep stopped"), error);
    else
        statusBar()->showMessage(tr("Cluster sweep collected"), 10000);
    emit clusterSweepFinished(error);
}

void MainWindow::showBusy(bool busy) {
    progress_->setValue(0);
    progress_->setVisible(busy);
    cancel_->setEnabled(busy);
    setup_->setBusy(busy);
    if (busy)
        progress_timer_.start();
    else
        progress_timer_.stop();
}

void MainWindow::cancelSweep() {
    if (cluster_->active()) {
        cluster_->cancel();
        cancel_->setEnabled(false);
        statusBar()->showMessage(
            tr("Cancelling the SLURM job array: its runs become "
               "interrupted and can be resubmitted"));
        return;
    }
    runner_->cancel();
    cancel_->setEnabled(false);
    statusBar()->showMessage(
        tr("Cancelling: each run stops after its current batch and keeps "
           "every finished epoch"));
}

void MainWindow::updateProgress() {
    if (cluster_->active()) {
        const ClusterProgress c = cluster_->progress();
        progress_->setValue(int(1000 * c.fraction));
        progress_->setFormat(QString("%1 %").arg(100 * c.fraction, 0, 'f', 1));
        eta_->setText(c.text);
        return;
    }
    const SweepProgress p = runner_->progress();
    progress_->setValue(int(1000 * p.fraction));
    progress_->setFormat(QString("%1 %").arg(100 * p.fraction, 0, 'f', 1));
    eta_->setText(p.text + "   " + eta_text(p.eta_seconds));
    eta_->setToolTip(p.plan);
}

void MainWindow::onSweepFinished(const QStringList& statuses, const QString& error) {
    showBusy(false);
    eta_->clear();
    refresh();
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("The sweep stopped"), error);
    else
        statusBar()->showMessage(tr("Sweep ended: %1").arg(statuses.join(", ")), 10000);
    emit sweepFinished(statuses);
}

}  // namespace hgq::gui
