// SPDX-License-Identifier: GPL-3.0-or-later
// Designing to a budget in the app (issue 17): the sweep setup steers by EBOPs targets (one
// β-controlled run per target), the training curves draw each run's target beside its EBOPs,
// and the budget toolbar draws a budget on the Pareto plot (a number, or a part with a share of
// its LUTs) whose "Best under budget" selects the most accurate point that fits. With
// HGQ_SCREENSHOT_DIR set, saves the window with a budget drawn.
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>
#include <qcustomplot.h>

#include "budget_bar.h"
#include "main_window.h"
#include "pareto_plot.h"
#include "store/study.h"
#include "sweep_setup.h"
#include "training_curves.h"

using namespace hgq;

class GuiBudgetTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<gui::MainWindow> w_;

    // The most accurate point of the window's study within `limit` EBOPs (ties: cheaper, lower id).
    qint64 expectedBest(double limit) const {
        const widgets::PointView* best = nullptr;
        for (const auto& p : w_->pareto()->points())
            if (!p.provisional && p.ebops > 0 && p.ebops <= limit &&
                (!best || p.test_accuracy > best->test_accuracy ||
                 (p.test_accuracy == best->test_accuracy &&
                  (p.ebops < best->ebops || (p.ebops == best->ebops && p.id < best->id)))))
                best = &p;
        return best ? best->id : 0;
    }

  private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName("hgq-studio-test");
        w_ = std::make_unique<gui::MainWindow>(dir_.filePath("study.sqlite"), HGQ_RESOURCES_DIR);
        w_->resize(1600, 1000);
        w_->show();
        QVERIFY(QTest::qWaitForWindowExposed(w_.get()));
    }

    void sweepOfTargetsSteersEachRun() {
        gui::SweepSetup* s = w_->setup();
        s->presetBox()->setCurrentIndex(s->presetBox()->findText("digits_mlp"));
        s->loadConfig(s->presetBox()->currentData().toString());
        s->epochsBox()->setValue(60);
        s->runsBox()->setValue(2);
        s->steerBox()->setCurrentIndex(1);
        QVERIFY(!s->betaFrom()->isVisible());
        QVERIFY(s->targetFrom()->isVisible());
        s->targetFrom()->setText("abc");
        QVERIFY(!s->valid());
        QVERIFY2(s->error().contains("target EBOPs"), qPrintable(s->error()));
        s->targetFrom()->setText("2,000");
        s->targetTo()->setText("6000");
        QVERIFY2(s->valid(), qPrintable(s->error()));
        QSignalSpy done(w_.get(), &gui::MainWindow::sweepFinished);
        QTest::mouseClick(s->startButton(), Qt::LeftButton);
        QVERIFY(done.wait(120000));
        w_->refresh();
        store::Study st(w_->studyPath().toStdString(), store::Study::Open::ReadOnly);
        const auto runs = st.runs();
        QCOMPARE(int(runs.size()), 2);
        QCOMPARE(QString::fromStdString(runs[0].name), QString("digits-mlp target=2000"));
        QCOMPARE(runs[1].config["beta"]["controller"]["target_ebops"].get<double>(), 6000.0);
        QCOMPARE(runs[0].status, std::string("done"));
        const auto epochs = st.epochs(runs[0].id);
        QVERIFY(epochs.back().beta > epochs.front().beta);  // steered up from 25k EBOPs
    }

    void curvesShowTheTarget() {
        w_->runTable()->selectAll();  // the curves follow the run table's selection
        w_->curves()->flush();
        int targets = 0;
        for (QCPGraph* g : w_->curves()->panel(widgets::TrainingCurves::Ebops)->graphs())
            if (g->property("target").toBool()) {
                ++targets;
                const double y = g->data()->begin()->value;
                QVERIFY2(y == 2000 || y == 6000, qPrintable(QString::number(y)));
            }
        QVERIFY2(targets >= 1, "no target line on the EBOPs panel");
    }

    void ebopsBudgetAndBestUnderIt() {
        w_->pareto()->flush();
        QVector<double> costs;
        for (const auto& p : w_->pareto()->points()) costs.push_back(p.ebops);
        QVERIFY(costs.size() >= 2);
        std::sort(costs.begin(), costs.end());
        const double limit = costs[costs.size() / 2];
        gui::BudgetBar* b = w_->budgetBar();
        b->modeBox()->setCurrentIndex(gui::BudgetBar::Ebops);
        QVERIFY(!b->bestButton()->isEnabled() || !w_->pareto()->budget().active);
        b->amountEdit()->setText("lots");
        QVERIFY(!w_->pareto()->budget().active);
        b->amountEdit()->setText(QString::number(qint64(limit)));
        QVERIFY(w_->pareto()->budget().active);
        QCOMPARE(w_->pareto()->budget().ebops, double(qint64(limit)));
        QTest::mouseClick(b->bestButton(), Qt::LeftButton);
        const qint64 want = expectedBest(double(qint64(limit)));
        QVERIFY(want != 0);
        QCOMPARE(w_->selectedPoint(), want);
        QCOMPARE(w_->pareto()->selectedPoint(), want);
    }

    void partBudgetWithAShare() {
        gui::BudgetBar* b = w_->budgetBar();
        b->modeBox()->setCurrentIndex(gui::BudgetBar::Part);
        b->partBox()->setCurrentIndex(b->partBox()->findData("xcvu9p"));
        b->percentBox()->setValue(0.5);
        const widgets::BudgetView v = w_->pareto()->budget();
        QVERIFY(v.active);
        QCOMPARE(v.luts, 5911.0);  // ⌊1,182,240 × 0.5 %⌋
        QVERIFY2(v.label.contains("xcvu9p") && v.label.contains("5,911 LUTs"), qPrintable(v.label));
        // No synthesized points: the default fit LUTs = EBOPs^0.985 gives the EBOPs limit.
        QVERIFY(std::abs(v.ebops - std::pow(5911.0, 1 / 0.985)) < 1e-6 * v.ebops);
        QTest::mouseClick(b->bestButton(), Qt::LeftButton);
        QCOMPARE(w_->selectedPoint(), expectedBest(v.ebops));
        const QByteArray shots = qgetenv("HGQ_SCREENSHOT_DIR");
        if (!shots.isEmpty()) {
            w_->pareto()->flush();
            QTest::qWait(300);
            w_->grab().save(QString::fromLocal8Bit(shots) + "/budget.png");
        }
        b->modeBox()->setCurrentIndex(gui::BudgetBar::None);
        QVERIFY(!w_->pareto()->budget().active);
    }

    void cleanupTestCase() { w_.reset(); }
};

QTEST_MAIN(GuiBudgetTest)
#include "test_gui_budget.moc"
