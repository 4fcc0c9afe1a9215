// SPDX-License-Identifier: GPL-3.0-or-later
// The app on a real one-node SLURM cluster (scripts/local-slurm.sh): "Run on: SLURM cluster" in
// the sweep setup submits a job array, the watcher collects the tasks' shards while they run,
// the run table shows each task's SLURM state and job, points arrive on the Pareto plot; Cancel
// scancels the array and leaves its runs interrupted. With HGQ_SCREENSHOT_DIR set, saves a
// screenshot of the window after the cluster sweep.
#include <unistd.h>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QSettings>
#include <QtTest>

#include "cli_process.h"
#include "cluster_watcher.h"
#include "main_window.h"
#include "run_table_model.h"
#include "store/study.h"
#include "sweep_setup.h"

using namespace hgq;

class GuiClusterTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<gui::MainWindow> w_;

    void configure(int epochs, int runs) {
        gui::SweepSetup* s = w_->setup();
        s->presetBox()->setCurrentIndex(s->presetBox()->findText("digits_mlp"));
        s->loadConfig(s->presetBox()->currentData().toString());
        s->epochsBox()->setValue(epochs);
        s->runsBox()->setValue(runs);
        s->runOnBox()->setCurrentIndex(1);  // SLURM cluster
        s->cpusBox()->setValue(1);
        s->maxParallelBox()->setValue(2);
        QVERIFY2(s->valid(), qPrintable(s->error()));
        QCOMPARE(s->startButton()->text(), QString("Submit to SLURM"));
    }

  private slots:
    void initTestCase() {
        if (::geteuid() != 0) QSKIP("the local SLURM cluster needs root (scripts/local-slurm.sh)");
        const auto up = cli_test::run_program(
            "bash", {QString(HGQ_SOURCE_DIR) + "/scripts/local-slurm.sh", "start"}, 240000);
        QVERIFY2(up.code == 0, qPrintable(up.out + up.err));
        qputenv("SLURM_CONF", "/var/tmp/hgq-slurm/slurm.conf");
        // The tasks run the hgq command line: the one built beside the tests.
        qputenv("PATH", QFileInfo(HGQ_CLI).absolutePath().toLocal8Bit() + ":" + qgetenv("PATH"));
        QCoreApplication::setOrganizationName("hgq-studio-test");
        QSettings().clear();  // a fresh user: no saved layout or sweep form
        w_ = std::make_unique<gui::MainWindow>(dir_.filePath("study.sqlite"), HGQ_RESOURCES_DIR);
        w_->resize(1600, 1000);
        w_->show();
        QVERIFY(QTest::qWaitForWindowExposed(w_.get()));
    }

    void submitsToSlurmAndShowsTaskStates() {
        configure(30, 2);
        QSignalSpy done(w_.get(), &gui::MainWindow::clusterSweepFinished);
        QTest::mouseClick(w_->setup()->startButton(), Qt::LeftButton);
        QVERIFY(w_->clusterWatcher()->active());
        QTRY_VERIFY_WITH_TIMEOUT(w_->clusterWatcher()->progress().text.contains("SLURM job"),
                                 60000);
        QVERIFY(done.wait(180000));
        QCOMPARE(done.takeFirst().at(0).toString(), QString());
        w_->refresh();
        const auto& runs = w_->runModel()->runs();
        QCOMPARE(runs.size(), 2);
        for (const auto& r : runs) {
            QCOMPARE(r.status, QString("done"));
            QVERIFY2(r.cluster.startsWith("COMPLETED · "), qPrintable(r.cluster));
            QVERIFY(r.points > 0);
        }
        const QModelIndex cell = w_->runModel()->index(0, widgets::RunTableModel::Cluster);
        QVERIFY(cell.data().toString().contains("COMPLETED"));
        QCOMPARE(w_->runModel()
                     ->headerData(widgets::RunTableModel::Cluster, Qt::Horizontal, Qt::DisplayRole)
                     .toString(),
                 QString("SLURM"));
        const QByteArray shots = qgetenv("HGQ_SCREENSHOT_DIR");
        if (!shots.isEmpty()) {
            QTest::qWait(300);
            w_->grab().save(QString::fromLocal8Bit(shots) + "/cluster-sweep.png");
        }
    }

    void cancelScancelsTheArray() {
        configure(100000, 2);
        QSignalSpy done(w_.get(), &gui::MainWindow::clusterSweepFinished);
        QTest::mouseClick(w_->setup()->startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w_->clusterWatcher()->progress().text.contains("running"), 60000);
        w_->cancelSweep();
        QVERIFY(done.wait(120000));
        store::Study s(w_->studyPath().toStdString(), store::Study::Open::ReadOnly);
        const auto runs = s.runs();
        QCOMPARE(int(runs.size()), 4);
        for (size_t i = 2; i < runs.size(); ++i)
            QCOMPARE(runs[i].status, std::string("interrupted"));
    }

    void cleanupTestCase() { w_.reset(); }
};

QTEST_MAIN(GuiClusterTest)
#include "test_gui_cluster.moc"
