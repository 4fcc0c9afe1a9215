// SPDX-License-Identifier: GPL-3.0-or-later
// The real main window driven as a user drives it: set up a small digits sweep, press Start,
// watch points arrive, click a point on the Pareto plot (the run table follows, the bit views
// show that point), pick a run in the table (the plot follows), cancel a sweep mid-run (the
// study stays consistent). Prints the longest event-loop stall while runs train. With
// HGQ_SCREENSHOT_DIR set, saves a screenshot of the window and of each view.
#include <qcustomplot.h>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QSettings>
#include <QtTest>
#include <fstream>

#include "bit_heatmap.h"
#include "bit_histogram.h"
#include "calibration_plot.h"
#include "export/formats.h"
#include "core/subprocess.h"
#include "export_dialog.h"
#include "main_window.h"
#include "pareto_plot.h"
#include "resources_view.h"
#include "run_table_model.h"
#include "sweep_runner.h"
#include "sweep_setup.h"
#include "synth_panel.h"
#include "training_curves.h"

using namespace hgq;

namespace {

// Longest gap between ticks of a 5 ms timer: how long the event loop was ever blocked.
struct StallMeter {
    QTimer timer;
    QElapsedTimer clock;
    qint64 last = 0, worst = 0;
    StallMeter() {
        timer.setInterval(5);
        QObject::connect(&timer, &QTimer::timeout, [this] {
            const qint64 now = clock.elapsed();
            worst = std::max(worst, now - last);
            last = now;
        });
        clock.start();
        timer.start();
    }
};

void screenshot(QWidget* w, const QString& name) {
    QTest::qWait(150);  // the views replot on a coalescing timer
    const QByteArray dir = qgetenv("HGQ_SCREENSHOT_DIR");
    if (!dir.isEmpty()) w->grab().save(QString::fromLocal8Bit(dir) + "/" + name + ".png");
}

}  // namespace

class GuiTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<gui::MainWindow> w_;

    void configure(int epochs, int runs, int parallel) {
        gui::SweepSetup* s = w_->setup();
        s->presetBox()->setCurrentIndex(s->presetBox()->findText("digits_mlp"));
        s->loadConfig(s->presetBox()->currentData().toString());
        s->epochsBox()->setValue(epochs);
        s->runsBox()->setValue(runs);
        s->parallelBox()->setValue(parallel);
        s->betaFrom()->setText("1e-5");
        s->betaTo()->setText("3e-4");
        QVERIFY2(s->valid(), qPrintable(s->error()));
    }

  private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName("hgq-studio-test");
        QSettings().clear();  // a fresh user: no saved layout or sweep form
        w_ = std::make_unique<gui::MainWindow>(dir_.filePath("study.sqlite"), HGQ_RESOURCES_DIR);
        w_->resize(1600, 1000);
        w_->show();
        QVERIFY(QTest::qWaitForWindowExposed(w_.get()));
    }

    void sweepRunsAndPointsArrive() {
        configure(60, 2, 2);
        QSignalSpy done(w_.get(), &gui::MainWindow::sweepFinished);
        StallMeter stall;
        QTest::mouseClick(w_->setup()->startButton(), Qt::LeftButton);
        QVERIFY(w_->runner()->running());
        QVERIFY(done.wait(120000));
        qInfo("longest event-loop stall while 2 runs trained: %lld ms", stall.worst);
        QCOMPARE(done.takeFirst().at(0).toStringList(), QStringList({"done", "done"}));
        w_->refresh();
        QCOMPARE(w_->runModel()->rowCount(), 2);
        for (const auto& r : w_->runModel()->runs()) {
            QCOMPARE(r.status, QString("done"));
            QVERIFY(r.points > 0);
        }
        screenshot(w_.get(), "main-window");
    }

    void clickingAPointSelectsItsRunAndShowsItsBits() {
        auto* plot = w_->pareto();
        plot->flush();
        // The most accurate point of the study, clicked where it is drawn.
        const auto& runs = w_->runModel()->runs();
        QVERIFY(!runs.isEmpty());
        qint64 target = 0;
        gui::StudyReader reader(w_->studyPath());
        double best = -1;
        for (const auto& p : reader.read().points)
            if (p.test_accuracy > best) {
                best = p.test_accuracy;
                target = p.id;
            }
        const QPointF px = plot->pixelOf(target);
        QVERIFY(px.x() >= 0);
        QTest::mouseClick(plot->plot(), Qt::LeftButton, {}, px.toPoint());
        QTRY_COMPARE(w_->selectedPoint(), target);
        const gui::PointDetails d = reader.details(target);
        // The run table row is the point's run.
        const auto rows = w_->runTable()->selectionModel()->selectedRows();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(w_->runTable()->model()->index(rows[0].row(), 0).data().toLongLong(), d.point.run);
        // The histogram shows this point's weight bits (all layers), the heatmap its first kernel.
        QVector<double> expected;
        for (qint64 c : widgets::BitHistogram::sumLayers(d.bits, widgets::BitHistogram::Kind::Weights))
            expected.push_back(double(c));
        while (!expected.isEmpty() && expected.back() == 0) expected.pop_back();
        QVector<double> shown = w_->histogram()->barValues();
        while (!shown.isEmpty() && shown.back() == 0) shown.pop_back();
        QCOMPARE(shown, expected);
        const widgets::KernelView& k = w_->heatmap()->kernel();
        QCOMPARE(k.layer, d.kernels.front().layer);
        QCOMPARE(k.codes, d.kernels.front().codes);
        for (int r = 0; r < k.rows; r += 7)
            for (int c = 0; c < k.cols; c += 3)
                QCOMPARE(w_->heatmap()->valueAt(r, c),
                         widgets::BitHeatmap::codeBits(k.codes[r * k.cols + c]));
        w_->showDock("histogramDock");
        screenshot(w_->histogram(), "bit-histogram");
        w_->showDock("heatmapDock");
        QTest::qWait(100);
        screenshot(w_->heatmap(), "bit-heatmap");
        screenshot(w_->pareto(), "pareto");
        screenshot(w_.get(), "main-window-selected");
    }

    void selectingARunSelectsItsBestPoint() {
        gui::StudyReader reader(w_->studyPath());
        const auto view = reader.read();
        const qint64 current = reader.details(w_->selectedPoint()).point.run;
        const qint64 other =
            view.runs.front().id == current ? view.runs.back().id : view.runs.front().id;
        QTableView* t = w_->runTable();
        for (int r = 0; r < t->model()->rowCount(); ++r)
            if (t->model()->index(r, 0).data().toLongLong() == other) t->selectRow(r);
        double best = -1;
        qint64 expected = 0;
        for (const auto& p : view.points)
            if (p.run == other && p.test_accuracy > best) {
                best = p.test_accuracy;
                expected = p.id;
            }
        QTRY_COMPARE(w_->selectedPoint(), expected);
        QCOMPARE(w_->pareto()->selectedPoint(), expected);
        w_->showDock("curves");
        QTest::qWait(100);
        screenshot(w_->curves(), "training-curves");
    }

    void exportButtonWritesAVerifiedProject() {
        QVERIFY(w_->selectedPoint() > 0);
        QTest::mouseClick(w_->resources()->exportButton(), Qt::LeftButton);
        gui::ExportDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = w_->findChild<gui::ExportDialog*>()) != nullptr);
        dialog->folderEdit()->setText(dir_.filePath("export"));
        QSignalSpy done(dialog, &gui::ExportDialog::finished);
        QTest::mouseClick(dialog->exportButton(), Qt::LeftButton);
        QVERIFY(done.wait(120000));
        qInfo("%s", qPrintable(dialog->resultPane()->toPlainText()));
        QVERIFY(done.takeFirst().at(0).toBool());
        QVERIFY(dialog->resultPane()->toPlainText().contains("bit-exact"));
        screenshot(dialog, "export-dialog");
        // A second export into the now non-empty folder is refused unless asked.
        QTest::mouseClick(dialog->exportButton(), Qt::LeftButton);
        QVERIFY(done.wait(60000));
        QVERIFY(!done.takeFirst().at(0).toBool());
        QVERIFY(dialog->resultPane()->toPlainText().contains("not empty"));
        // Every format of the export table is offered; Verilog writes its own project.
        QCOMPARE(dialog->formatBox()->count(), int(export_formats().size()));
        dialog->formatBox()->setCurrentIndex(dialog->formatBox()->findData("verilog"));
        QVERIFY(dialog->folderEdit()->text().endsWith(dir_.filePath("export")));  // user's own
        dialog->folderEdit()->setText(dir_.filePath("export-verilog"));
        for (QCheckBox* box : dialog->findChildren<QCheckBox*>())
            if (box->text().startsWith("Verify")) box->setChecked(false);
        QTest::mouseClick(dialog->exportButton(), Qt::LeftButton);
        QVERIFY(done.wait(60000));
        QVERIFY(done.takeFirst().at(0).toBool());
        QCOMPARE(nlohmann::json::parse(std::ifstream(dir_.filePath("export-verilog/hgq_export.json")
                                                         .toStdString()))
                     .value("format", ""),
                 std::string("hgq-verilog-export/1"));
        dialog->close();
    }

    void synthesizeButtonStoresLutsAndCalibrates() {
        if (!tool_on_path("yosys")) QSKIP("yosys is not installed (Debian package yosys)");
        // The cheapest points synthesize fastest.
        QVector<widgets::PointView> pts;
        for (const auto& p : w_->pareto()->points())
            if (!p.provisional) pts.push_back(p);
        QVERIFY(pts.size() >= 2);
        std::sort(pts.begin(), pts.end(), [](auto& a, auto& b) { return a.ebops < b.ebops; });
        gui::SynthPanel* panel = w_->synthPanel();
        w_->selectPoint(pts[0].id);
        QVERIFY(panel->resultLabel()->text().contains("not synthesized"));
        QSignalSpy done(panel, &gui::SynthPanel::finished);
        StallMeter stall;
        QTest::mouseClick(panel->synthButton(), Qt::LeftButton);
        QVERIFY(panel->busy() && panel->cancelButton()->isVisible());
        QVERIFY(done.wait(240000));
        const QString msg = done.at(0).at(1).toString();
        QVERIFY2(done.takeFirst().at(0).toBool(), qPrintable(msg));
        qInfo("%s; longest event-loop stall: %lld ms", qPrintable(msg), stall.worst);
        QTRY_COMPARE(w_->calibration()->points().size(), 1);
        QCOMPARE(w_->calibration()->points()[0].point, pts[0].id);
        QVERIFY(panel->resultLabel()->text().contains("LUTs"));
        w_->showDock("pareto");
        w_->lutAxisAction()->trigger();
        w_->pareto()->flush();
        QVERIFY(w_->pareto()->pixelOf(pts[0].id).x() >= 0);
        QCOMPARE(w_->pareto()->pixelOf(pts[1].id), QPointF(-1, -1));  // not synthesized
        screenshot(w_.get(), "main-window-lut-axis");
        w_->lutAxisAction()->trigger();
        w_->showDock("calibration");
        screenshot(w_.get(), "calibration");
        w_->showDock("pareto");

        // Cancel: yosys stops, nothing is stored, the panel is ready again.
        w_->selectPoint(pts[1].id);
        QTest::mouseClick(panel->synthButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(panel->statusLabel()->text().contains("Executing"), 60000);
        QTest::mouseClick(panel->cancelButton(), Qt::LeftButton);
        QVERIFY(done.wait(30000));
        QVERIFY(!done.at(0).at(0).toBool());
        QCOMPARE(done.takeFirst().at(1).toString(), QString("Synthesis cancelled"));
        QVERIFY(panel->synthButton()->isEnabled());
        store::Study s(w_->studyPath().toStdString(), store::Study::Open::ReadOnly);
        QCOMPARE(int(s.syntheses().size()), 1);
    }

    void cancelMidRunLeavesAConsistentStudy() {
        configure(100000, 1, 1);
        QSignalSpy done(w_.get(), &gui::MainWindow::sweepFinished);
        QTest::mouseClick(w_->setup()->startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w_->runner()->progress().fraction > 0.0001, 30000);
        // The plot grows while the run trains: its front checkpoints appear, hollow, before
        // any deployment.
        auto provisional_drawn = [&] {
            for (const auto& p : w_->pareto()->points())
                if (p.provisional && p.id < 0 && w_->pareto()->pixelOf(p.id).x() >= 0) return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(provisional_drawn(), 30000);
        screenshot(w_.get(), "main-window-training");
        w_->cancelSweep();
        QVERIFY(done.wait(30000));
        QCOMPARE(done.takeFirst().at(0).toStringList(), QStringList({"cancelled"}));
        store::Study s(w_->studyPath().toStdString(), store::Study::Open::ReadOnly);
        for (const auto& r : s.runs()) {
            QVERIFY(r.status != "running");
            QCOMPARE(int(s.epochs(r.id).size()), r.epochs_done);
        }
        const auto last = s.runs().back();
        QCOMPARE(last.status, std::string("cancelled"));
        QVERIFY(last.epochs_done > 0 && last.epochs_done < last.epochs_planned);
    }

    void cleanupTestCase() { w_.reset(); }
};

QTEST_MAIN(GuiTest)
#include "test_gui_mainwindow.moc"
