// SPDX-License-Identifier: GPL-3.0-or-later
// The app as a daily tool (issue 19, in part): numeric fields keep what is typed (1e-4 stays
// 1e-4, nothing is rounded or clamped silently), switching studies leaves nothing of the
// previous one selected or shown, File → New never replaces an existing study, and a bit-width
// has the same heatmap colour for every point.
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QTableView>
#include <QItemSelectionModel>
#include <QTemporaryDir>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTimer>
#include <QtTest>

#include <qcustomplot.h>

#include "bit_heatmap.h"
#include "cli_process.h"
#include "main_window.h"
#include "pareto_plot.h"
#include "store/study.h"
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

    void cleanupTestCase() { w_.reset(); }
};

QTEST_MAIN(GuiDailyTest)
#include "test_gui_daily.moc"
