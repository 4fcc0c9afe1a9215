// SPDX-License-Identifier: GPL-3.0-or-later
// The app as a daily tool (issue 19, in part): numeric fields keep what is typed (1e-4 stays
// 1e-4, nothing is rounded or clamped silently), switching studies leaves nothing of the
// previous one selected or shown, File → New never replaces an existing study, and a bit-width
// has the same heatmap colour for every point.
#include <QApplication>
#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QFileInfo>
#include <QProcess>
#include <QPushButton>
#include <QScrollArea>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QTableView>
#include <QItemSelectionModel>
#include <QTemporaryDir>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTimer>
#include <QSettings>
#include <QtTest>

#include <qcustomplot.h>

#include "bit_heatmap.h"
#include "bit_histogram.h"
#include "cli_process.h"
#include "main_window.h"
#include "pareto_plot.h"
#include "training_curves.h"
#include <QImage>
#include "store/study.h"
#include "store/study_transfer.h"
#include "sweep_runner.h"
#include "config/json_reader.h"
#include "jobs/thread_choice.h"
#include "export/hls_templates.h"
#include "data/dataset.h"
#include <QStatusBar>
#include "sweep_setup.h"

using namespace hgq;

class GuiDailyTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<gui::MainWindow> w_;

    QString trained(const QString& name, int epochs) {
        const QString db = dir_.filePath(name);
        const auto r = cli_test::run_program(
            HGQ_CLI,
            {"train", QString(HGQ_RESOURCES_DIR) + "/examples/digits_mlp.json", "--epochs",
             QString::number(epochs), "--threads", "1", "--db", db},
            120000);
        if (r.code != 0) qWarning("%s", qPrintable(r.err));
        return db;
    }

  private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName("hgq-studio-test");
        QSettings().clear();  // a fresh user: no saved layout or sweep form
        w_ = std::make_unique<gui::MainWindow>(trained("a.sqlite", 40), HGQ_RESOURCES_DIR);
        w_->resize(1600, 1000);
        w_->show();
        QVERIFY(QTest::qWaitForWindowExposed(w_.get()));
    }

    void learningRateKeepsWhatIsTyped() {
        gui::SweepSetup* s = w_->setup();
        QCOMPARE(s->learningRate()->text(), QString("0.005"));  // the preset's 5e-3, not 0.00500
        for (const auto& [text, value] : std::vector<std::pair<QString, double>>{
                 {"1e-4", 1e-4}, {"0.000012", 1.2e-5}, {"2.5E-5", 2.5e-5}}) {
            s->learningRate()->setText(text);
            QVERIFY2(s->valid(), qPrintable(s->error()));
            const double lr = s->request().base["training"]["optimizer"]["adam"]["lr"];
            QCOMPARE(lr, value);
        }
        // Below the preset's cosine floor (1e-5): refused naming that field, never reverted.
        s->learningRate()->setText("0.0000012");
        QVERIFY(!s->valid());
        QVERIFY2(s->error().contains("lr_schedule.cosine_restarts.min"), qPrintable(s->error()));
        QCOMPARE(s->learningRate()->text(), QString("0.0000012"));
        s->learningRate()->setText("fast");
        QVERIFY(!s->valid());
        QVERIFY2(s->error().contains("learning rate"), qPrintable(s->error()));
        s->learningRate()->setText("20");  // above the parser's range: named, not clamped
        QVERIFY(!s->valid());
        QVERIFY2(s->error().contains("lr"), qPrintable(s->error()));
        s->learningRate()->setText("5e-3");
        QVERIFY(s->valid());
    }

    void openingAnotherStudyClearsTheSelection() {
        w_->refresh();
        w_->pareto()->flush();
        QVERIFY(!w_->pareto()->points().isEmpty());
        const qint64 p = w_->pareto()->points().front().id;
        w_->selectPoint(p);
        QCOMPARE(w_->selectedPoint(), p);
        QVERIFY(w_->heatmapLayerBox()->count() > 0);
        QVERIFY(!w_->runTable()->selectionModel()->selectedRows().isEmpty());
        QVERIFY(w_->openStudy(trained("b.sqlite", 20)));
        QCOMPARE(w_->selectedPoint(), qint64(0));
        QCOMPARE(w_->pareto()->selectedPoint(), qint64(0));
        QCOMPARE(w_->heatmapLayerBox()->count(), 0);
        QCOMPARE(w_->heatmap()->maxBits(), 0);
        QVERIFY(w_->runTable()->selectionModel()->selectedRows().isEmpty());
    }

    void newNeverReplacesAStudy() {
        const QString a = dir_.filePath("a.sqlite");
        const qint64 size = QFileInfo(a).size();
        QString shown;
        QTimer::singleShot(200, [&] {
            if (auto* m = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
                shown = m->text();
                m->accept();
            }
        });
        QVERIFY(!w_->newStudy(a));
        QVERIFY2(shown.contains("never replaces"), qPrintable(shown));
        QCOMPARE(QFileInfo(a).size(), size);
        QVERIFY(w_->studyPath().endsWith("b.sqlite"));  // still the open one
        QVERIFY(w_->newStudy(dir_.filePath("c.sqlite")));
        QVERIFY(w_->studyPath().endsWith("c.sqlite"));
    }

    // Two kernels whose widest weights differ (3 and 9 bits): a 2-bit weight has one colour.
    void heatmapColourOfABitWidthIsFixed() {
        widgets::BitHeatmap h;
        widgets::KernelView k;
        k.layer = "dense", k.rows = 2, k.cols = 2, k.f = {0};
        k.codes = {3, 5, 0, 1};  // 2, 3, 0, 1 bits
        h.setKernel(k);
        auto* map = qobject_cast<QCPColorMap*>(h.plot()->plottable(0));
        QVERIFY(map);
        const QRgb narrow = map->gradient().color(2, map->dataRange());
        k.codes = {3, 511, 0, 1};  // 2, 9, 0, 1 bits
        h.setKernel(k);
        const QRgb wide = map->gradient().color(2, map->dataRange());
        QCOMPARE(QColor(narrow), QColor(wide));
        QCOMPARE(QColor(wide), widgets::BitHeatmap::colorOf(2));
        QVERIFY(widgets::BitHeatmap::colorOf(2) != widgets::BitHeatmap::colorOf(3));
        QCOMPARE(widgets::BitHeatmap::colorOf(30), widgets::BitHeatmap::colorOf(16));
        QVERIFY(h.cellText(0, 0).contains("sign bit"));
    }

    // Cancel while the first of three runs trains: the two never started say so ("cancelled
    // before it started"), none is left "queued" as if it would still run.
    void cancelLeavesNoRunQueued() {
        gui::SweepSetup* s = w_->setup();
        s->presetBox()->setCurrentIndex(s->presetBox()->findText("digits_mlp"));
        s->loadConfig(s->presetBox()->currentData().toString());
        s->epochsBox()->setValue(100000);
        s->runsBox()->setValue(3);
        s->parallelBox()->setValue(1);
        QVERIFY2(s->valid(), qPrintable(s->error()));
        QSignalSpy done(w_.get(), &gui::MainWindow::sweepFinished);
        QTest::mouseClick(s->startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                store::Study st(w_->studyPath().toStdString(), store::Study::Open::ReadOnly);
                const auto runs = st.runs();
                return !runs.empty() && !st.epochs(runs.back().id - 2).empty();
            }(),
            60000);
        w_->cancelSweep();
        QVERIFY(done.wait(60000));
        store::Study st(w_->studyPath().toStdString(), store::Study::Open::ReadOnly);
        const auto runs = st.runs();
        QCOMPARE(int(runs.size()), 3);
        QCOMPARE(runs[0].status, std::string("cancelled"));
        for (int k = 1; k < 3; ++k) {
            QCOMPARE(runs[size_t(k)].status, std::string("cancelled"));
            QCOMPARE(runs[size_t(k)].error, std::string("cancelled before it started"));
        }
    }

    // Issue 19.1: a 1280×720 laptop. The minimum size leaves room for the taskbar and title;
    // at 1280×720 every dock is inside the window and Start sweep can be scrolled to.
    void windowFitsALaptopScreen() {
        const QSize min = w_->minimumSizeHint().expandedTo(w_->minimumSize());
        qInfo("minimum size %dx%d", min.width(), min.height());
        for (QDockWidget* d : w_->findChildren<QDockWidget*>())
            qInfo("  %s %dx%d", qPrintable(d->objectName()), d->minimumSizeHint().width(),
                  d->minimumSizeHint().height());
        qInfo("  central %dx%d", w_->centralWidget()->minimumSizeHint().width(),
              w_->centralWidget()->minimumSizeHint().height());
        QVERIFY2(min.width() <= 1024 && min.height() <= 640,
                 qPrintable(QString("minimum %1x%2").arg(min.width()).arg(min.height())));
        w_->resize(1280, 720);
        QTRY_COMPARE(w_->size(), QSize(1280, 720));
        QTest::qWait(50);  // the dock layout follows the resize event
        const QRect inside = w_->rect();
        for (QDockWidget* d : w_->findChildren<QDockWidget*>()) {
            // A tabbed dock behind another is "visible" but not on screen: its tab is.
            if (!d->isVisible() || d->visibleRegion().isEmpty()) continue;
            QVERIFY2(!d->isFloating(), qPrintable(d->objectName()));
            const QRect r(d->mapTo(w_.get(), QPoint(0, 0)), d->size());
            QVERIFY2(inside.contains(r), qPrintable(QString("%1 at %2,%3 %4x%5")
                                                        .arg(d->objectName())
                                                        .arg(r.x())
                                                        .arg(r.y())
                                                        .arg(r.width())
                                                        .arg(r.height())));
            QVERIFY2(r.width() >= 150 && r.height() >= 100, qPrintable(d->objectName()));
        }
        auto* scroll = w_->findChild<QScrollArea*>();
        QVERIFY(scroll);
        QPushButton* start = w_->setup()->startButton();
        scroll->ensureWidgetVisible(start);
        QTRY_VERIFY(scroll->viewport()->rect().contains(
            QRect(start->mapTo(scroll->viewport(), QPoint(0, 0)), start->size())));
        w_->resize(1600, 1000);
    }

    // Issue 19.1: the sweep form and the window layout come back at the next start.
    void setupAndLayoutAreRestored() {
        gui::SweepSetup* s = w_->setup();
        s->epochsBox()->setValue(77);
        s->learningRate()->setText("1e-4");
        s->runsBox()->setValue(5);
        s->betaTo()->setText("0.002");
        w_->findChild<QDockWidget*>("runsDock")->hide();
        w_->saveLayout();
        gui::MainWindow again(QString(), HGQ_RESOURCES_DIR);
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QCOMPARE(again.setup()->epochsBox()->value(), 77);
        QCOMPARE(again.setup()->learningRate()->text(), QString("0.0001"));
        QCOMPARE(again.setup()->runsBox()->value(), 5);
        QCOMPARE(again.setup()->betaTo()->text(), QString("0.002"));
        QVERIFY(!again.findChild<QDockWidget*>("runsDock")->isVisible());
        QVERIFY(again.setup()->valid());
        w_->findChild<QDockWidget*>("runsDock")->show();
        QSettings().clear();
    }

    // Issue 19.6: a run trained by `hgq train` in a terminal shows its live points (hollow,
    // "training") as the app's own runs do.
    void liveRunsOfTheCliShow() {
        const QString db = dir_.filePath("live.sqlite");
        QProcess* p = cli_test::start_hgq({"train", QString(HGQ_RESOURCES_DIR) + "/examples/digits_mlp.json",
                                           "--epochs", "100000", "--threads", "1", "--db", db},
                                          this);
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(db).size() > 0, 20000);
        QVERIFY(w_->openStudy(db));
        auto provisional = [&] {
            int n = 0;
            for (const auto& v : w_->pareto()->points()) n += v.provisional;
            return n;
        };
        QTRY_VERIFY_WITH_TIMEOUT(provisional() > 0, 20000);
        p->kill();
        p->waitForFinished();
    }

    // Issue 19.8: a CSV's float column is not offered as the label first, and choosing it is
    // refused at once, in the setup, naming the likely label column.
    void labelColumnIsProfiledAtOnce() {
        const QString csv = dir_.filePath("features.csv");
        QFile f(csv);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("width,class,height\n");
        for (int i = 0; i < 300; ++i)
            f.write(QString("%1,%2,%3\n").arg(0.37 * i).arg(i % 3).arg(1.5 + 0.01 * i).toUtf8());
        f.close();
        gui::SweepSetup* s = w_->setup();
        s->setDataFile(csv);
        QComboBox* labels = s->labelColumnBox();
        QCOMPARE(labels->currentData().toString(), QString("class"));
        QVERIFY2(labels->currentText().contains("3 distinct values"), qPrintable(labels->currentText()));
        QVERIFY2(s->valid(), qPrintable(s->error()));
        labels->setCurrentIndex(labels->findData("height"));
        QVERIFY(!s->valid());
        QVERIFY2(s->error().contains("looks like a feature") && s->error().contains("'class'"),
                 qPrintable(s->error()));
        s->loadConfig(s->presetBox()->currentData().toString());
        QVERIFY(s->valid());
    }

    // Issue 19.8: Start with no study open says why nothing happens.
    void startWithoutAStudySaysSo() {
        gui::MainWindow none(QString(), HGQ_RESOURCES_DIR);
        none.startSweep();
        QVERIFY2(none.statusBar()->currentMessage().contains("No study is open"),
                 qPrintable(none.statusBar()->currentMessage()));
        QVERIFY(!none.runner()->running());
    }

    // Issue 19.8: the runs and points CSVs carry each run's hyperparameters.
    void csvCarriesHyperparameters() {
        store::Study study(dir_.filePath("a.sqlite").toStdString(), store::Study::Open::Existing);
        const QString runs = dir_.filePath("runs.csv"), points = dir_.filePath("points.csv");
        store::export_runs_csv(study, runs.toStdString());
        store::export_points_csv(study, points.toStdString());
        for (const QString& file : {runs, points}) {
            QFile f(file);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QStringList header = QString(f.readLine()).trimmed().split(',');
            const QStringList row = QString(f.readLine()).trimmed().split(',');
            for (const char* c : {"seed", "batch_size", "lr", "gamma", "beta_final"})
                QVERIFY2(header.contains(c), qPrintable(file + ": " + c));
            QCOMPARE(row.value(int(header.indexOf("lr"))), QString("0.0050000000000000001"));
            QCOMPARE(row.value(int(header.indexOf("batch_size"))), QString("128"));
            QCOMPARE(row.value(int(header.indexOf("beta_final"))), QString("0.0030000000000000001"));
        }
    }

    // Issue 19.7: two runs training at once are both named in the status bar, and the setup
    // does not say "ready" while they run.
    void progressNamesEveryRunningRun() {
        QVERIFY(w_->openStudy(dir_.filePath("a.sqlite")));
        gui::SweepSetup* s = w_->setup();
        s->loadConfig(s->presetBox()->currentData().toString());
        s->epochsBox()->setValue(20000);
        s->runsBox()->setValue(2);
        s->parallelBox()->setValue(s->parallelBox()->maximum());
        QVERIFY2(s->valid(), qPrintable(s->error()));
        w_->startSweep();
        QVERIFY(w_->runner()->running());
        QTRY_VERIFY_WITH_TIMEOUT(w_->runner()->progress().text.count("epoch") == 2, 30000);
        QVERIFY(!s->startButton()->isEnabled());
        QVERIFY2(s->statusText().contains("A sweep is running") && !s->statusText().contains("ready"),
                 qPrintable(s->statusText()));
        w_->cancelSweep();
        QTRY_VERIFY_WITH_TIMEOUT(!w_->runner()->running(), 30000);
        QTRY_VERIFY(s->startButton()->isEnabled());  // after the queued "finished" signal
    }

    // Issue 19.7: threads per run come from a measurement, one of the two counts tried.
    void threadsAreMeasured() {
        const ExperimentConfig cfg = parse_experiment(
            parse_json_text(read_file_maybe_gz(HGQ_RESOURCES_DIR "/examples/digits_mlp.json"), "digits"),
            "digits");
        const Splits data = load_experiment_data(cfg, HGQ_RESOURCES_DIR);
        const jobs::ThreadChoice c = jobs::choose_threads(cfg, data, 2);
        qInfo("digits MLP: 1 thread %.0f, 2 threads %.0f samples/s -> %d", c.single, c.multi, c.threads);
        QVERIFY(c.single > 0 && c.multi > 0);
        QCOMPARE(c.threads, c.multi > 1.1 * c.single ? 2 : 1);
        QCOMPARE(jobs::choose_threads(cfg, data, 1).threads, 1);
    }

    // Issue 19.9: the pin button shows whether a point is pinned, and a second press unpins.
    void pinButtonShowsItsState() {
        QVERIFY(w_->openStudy(dir_.filePath("a.sqlite")));
        QTRY_VERIFY(!w_->pareto()->points().isEmpty());
        const qint64 id = w_->pareto()->points().front().id;
        w_->selectPoint(id);
        QAction* pin = w_->pinAction();
        QVERIFY(!pin->isChecked());
        pin->trigger();
        QVERIFY(pin->isChecked());
        QCOMPARE(w_->pinnedPoint(), id);
        QCOMPARE(w_->pareto()->pinnedPoint(), id);  // marked on the plot too
        QVERIFY(w_->histogram()->hasPinned());
        QCOMPARE(w_->curves()->selectedEpoch(), w_->pareto()->points().front().epoch);
        QVERIFY(pin->text().contains(QString::number(id)));
        pin->trigger();
        QVERIFY(!pin->isChecked());
        QCOMPARE(w_->pinnedPoint(), qint64(0));
        QCOMPARE(w_->pareto()->pinnedPoint(), qint64(0));
        QVERIFY(!w_->histogram()->hasPinned());
    }

    // Issue 19.10: Export plot at a chosen size and resolution, not the widget's.
    void plotExportsAtTheChosenSize() {
        const QString png = dir_.filePath("front.png");
        QVERIFY(w_->writePlot(png, 900, 600, 2, true));
        const QImage image(png);
        QCOMPARE(image.size(), QSize(1800, 1200));
        QVERIFY(w_->statusBar()->currentMessage().contains("1800×1200"));
    }

    // Issue 19.10: start, cancel, export, front only, reset zoom and pin have shortcuts, and no
    // two actions of the window share one.
    void shortcutsAreSetAndDistinct() {
        for (const char* name : {"startSweepAction", "cancelSweepAction", "exportAction",
                                 "frontOnlyAction", "pinAction"})
            QVERIFY2(!w_->findChild<QAction*>(name)->shortcut().isEmpty(), name);
        QCOMPARE(w_->findChild<QAction*>("startSweepAction")->shortcut(), QKeySequence(Qt::Key_F5));
        QMap<QString, QString> used;
        for (QAction* a : w_->findChildren<QAction*>()) {
            if (a->shortcut().isEmpty()) continue;
            const QString keys = a->shortcut().toString();
            QVERIFY2(!used.contains(keys), qPrintable(keys + ": " + used.value(keys) + " and " + a->text()));
            used[keys] = a->text();
        }
        QVERIFY(used.size() >= 6);
    }

    // Issue 19.10: the export README prints numbers as people read them.
    void exportReadmeNumbersAreReadable() {
        const std::string text = hls::readme({{"run_name", "digits-mlp"},
                                              {"lut_estimate", 581.9600225059802},
                                              {"ebops_exact", 4684},
                                              {"test_accuracy", 0.96125},
                                              {"beta", 0.00031622776601683794}});
        qInfo("%s", text.substr(0, text.find("\n\n", 40)).c_str());
        QVERIFY(text.find("| LUT estimate | 582 |") != std::string::npos);
        QVERIFY(text.find("| exact EBOPs | 4,684 |") != std::string::npos);
        QVERIFY(text.find("96.12 %") != std::string::npos);
        QVERIFY(text.find("| β | 0.000316 |") != std::string::npos);
        QVERIFY(text.find("(digits-mlp)") != std::string::npos);
        QVERIFY(text.find("581.96") == std::string::npos);
    }

    void cleanupTestCase() { w_.reset(); }
};

QTEST_MAIN(GuiDailyTest)
#include "test_gui_daily.moc"
