// SPDX-License-Identifier: GPL-3.0-or-later
// The Pareto plot and the training curves on hand-made data: front and staircase geometry,
// replot coalescing, click selection, front-only mode, one graph per run per panel, and two
// screenshots (QDir::tempPath()/hA_pareto.png, hA_curves.png) to look at by eye.
#include <qcustomplot.h>
#include <QDir>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>
#include <QToolTip>
#include <cmath>

#include "calibration_plot.h"
#include "pareto_plot.h"
#include "training_curves.h"

using hgq::widgets::EpochView;
using hgq::widgets::ParetoPlot;
using hgq::widgets::PointView;
using hgq::widgets::RunCurves;
using hgq::widgets::TrainingCurves;

namespace {

PointView pt(qint64 id, double ebops, double acc, qint64 run = 1) {
    PointView p;
    p.id = id;
    p.run = run;
    p.run_name = QStringLiteral("run %1").arg(run);
    p.ebops = ebops;
    p.test_accuracy = acc;
    p.test_accuracy_float = acc + 0.001;
    p.val_accuracy = acc - 0.01;
    p.epoch = int(id) * 10;
    p.beta = 1e-5 * double(id);
    p.lut = ebops / 3;
    return p;
}

// A plausible sweep: accuracy rises with log EBOPs and saturates, with noise below the trend.
QVector<PointView> sweep(int runs, int per_run, quint32 seed) {
    QRandomGenerator rng(seed);
    QVector<PointView> out;
    const QStringList names = {"β 1e-6 · 8 bit", "β 3e-6 · 6 bit", "β 1e-5 · 6 bit",
                               "β 3e-5 · 4 bit", "β 1e-4 · 4 bit"};
    for (int r = 0; r < runs; ++r) {
        for (int i = 0; i < per_run; ++i) {
            const double log_e = 2.3 + 2.6 * rng.generateDouble() + 0.15 * r;
            const double trend = 0.76 - 0.5 * std::exp(-1.4 * (log_e - 2.2));
            PointView p = pt(qint64(out.size() + 1), std::pow(10.0, log_e),
                             trend - 0.04 * std::pow(rng.generateDouble(), 2), r + 1);
            p.run_name = r < names.size() ? names[r] : QStringLiteral("run %1").arg(r + 1);
            out.push_back(p);
        }
    }
    return out;
}

// Dots drawn by the run graphs (neither the front line nor the selection ring).
int runDots(const ParetoPlot& w) {
    int n = 0;
    for (int i = 0; i < w.plot()->graphCount(); ++i) {
        const QCPGraph* g = w.plot()->graph(i);
        if (!g->name().isEmpty() && g->name() != QStringLiteral("Pareto front"))
            n += g->dataCount();
    }
    return n;
}

QVector<qint64> ids(const QVector<PointView>& pts) {
    QVector<qint64> out;
    for (const PointView& p : pts) out.push_back(p.id);
    return out;
}

void showSized(QWidget& w) {
    w.resize(800, 600);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
}

}  // namespace

class TestWidgetPlots : public QObject {
    Q_OBJECT
  private slots:
    void frontAndStaircase();
    void frontEdgeCases();
    void tenThousandPoints();
    void replotsCoalesce();
    void clickSelectsPoint();
    void dragZoomsWithoutSelecting();
    void frontOnlyHidesDominated();
    void curvesOneGraphPerRunPerPanel();
    void lutAxisShowsSynthesizedPointsOnly();
    void calibrationDrawsPointsAndFit();
    void screenshots();
};

// Ties and dominated points: same EBOPs with less accuracy, same accuracy with more EBOPs, an
// exact duplicate of a front point (kept in front(), collapsed in the staircase), a NaN.
void TestWidgetPlots::frontAndStaircase() {
    const QVector<PointView> pts = {
        pt(3, 200, 0.625), pt(1, 100, 0.5),    pt(8, 1000, 0.8125), pt(5, 400, 0.875),
        pt(2, 200, 0.75),  pt(4, 300, 0.75),   pt(6, 400, 0.875),   pt(7, 50, 0.25),
        pt(9, NAN, 0.9),   pt(10, 800, 0.875),
    };
    QCOMPARE(ids(ParetoPlot::front(pts)), (QVector<qint64>{7, 1, 2, 5, 6}));
    const QVector<QPointF> expected = {{50, 25},  {100, 25}, {100, 50},  {200, 50},
                                       {200, 75}, {400, 75}, {400, 87.5}};
    QCOMPARE(ParetoPlot::frontStaircase(pts), expected);
}

void TestWidgetPlots::frontEdgeCases() {
    QVERIFY(ParetoPlot::front({}).isEmpty());
    QVERIFY(ParetoPlot::frontStaircase({}).isEmpty());
    QCOMPARE(ParetoPlot::frontStaircase({pt(1, 10, 0.5)}), (QVector<QPointF>{{10, 50}}));
    // Identical points: all on the front, one vertex.
    const QVector<PointView> same = {pt(2, 10, 0.5), pt(1, 10, 0.5), pt(3, 10, 0.5)};
    QCOMPARE(ids(ParetoPlot::front(same)), (QVector<qint64>{1, 2, 3}));
    QCOMPARE(ParetoPlot::frontStaircase(same), (QVector<QPointF>{{10, 50}}));
    // A chain where each point dominates the next: only the first survives.
    QCOMPARE(ids(ParetoPlot::front({pt(1, 10, 0.5), pt(2, 20, 0.25), pt(3, 30, 0.125)})),
             (QVector<qint64>{1}));
}

void TestWidgetPlots::tenThousandPoints() {
    ParetoPlot w;
    showSized(w);
    const QVector<PointView> pts = sweep(20, 500, 7);
    QElapsedTimer t;
    t.start();
    w.setPoints(pts);
    w.flush();  // rebuild graphs + front + one replot
    const qint64 build_ms = t.elapsed();
    t.restart();
    w.plot()->replot(QCustomPlot::rpImmediateRefresh);
    qInfo("10,000 points: rebuild + replot %lld ms, replot alone %lld ms", build_ms, t.elapsed());
    QCOMPARE(runDots(w), 10000);
}

void TestWidgetPlots::replotsCoalesce() {
    ParetoPlot w;
    showSized(w);
    QVector<PointView> pts = sweep(3, 100, 1);
    w.setPoints(pts);
    w.flush();
    QTest::qWait(50);
    const int before = w.replotCount();
    for (int i = 0; i < 50; ++i) {
        pts.push_back(pt(1000 + i, 1e3 + i, 0.5));
        w.setPoints(pts);
    }
    QTest::qWait(120);
    const int done = w.replotCount() - before;
    QVERIFY2(done >= 1 && done <= 3, qPrintable(QString::number(done)));
    QCOMPARE(runDots(w), pts.size());  // the last call's data is what is drawn
}

void TestWidgetPlots::clickSelectsPoint() {
    ParetoPlot w;
    showSized(w);
    w.setPoints(sweep(4, 30, 3) + QVector<PointView>{pt(500, 3e3, 0.9, 2)});
    w.flush();
    QSignalSpy spy(&w, &ParetoPlot::pointClicked);
    const QPoint at = w.pixelOf(500).toPoint();
    QVERIFY(w.plot()->axisRect()->rect().contains(at));
    QTest::mouseClick(w.plot(), Qt::LeftButton, Qt::NoModifier, at);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toLongLong(), qint64(500));
    QCOMPARE(w.selectedPoint(), qint64(500));
    QTest::mouseMove(w.plot(), at + QPoint(2, 1));  // hover: every number of the point
    QTRY_VERIFY(QToolTip::text().contains(QStringLiteral("point 500")));
    QVERIFY(QToolTip::text().contains(QStringLiteral("90.00 %")));

    // A click far from every dot selects nothing; setSelectedPoint(0) clears the ring.
    QTest::mouseClick(w.plot(), Qt::LeftButton, Qt::NoModifier,
                      w.plot()->axisRect()->topLeft() + QPoint(3, 3));
    QCOMPARE(spy.count(), 1);
    w.setSelectedPoint(0);
    QCOMPARE(w.selectedPoint(), qint64(0));
}

void TestWidgetPlots::dragZoomsWithoutSelecting() {
    ParetoPlot w;
    showSized(w);
    w.setPoints(sweep(2, 50, 5) + QVector<PointView>{pt(500, 3e3, 0.9, 2)});
    w.flush();
    QSignalSpy spy(&w, &ParetoPlot::pointClicked);
    const QCPRange before = w.plot()->xAxis->range();
    const QPoint at = w.pixelOf(500).toPoint();
    QTest::mousePress(w.plot(), Qt::LeftButton, Qt::NoModifier, at);
    QTest::mouseMove(w.plot(), at + QPoint(40, 30));
    QTest::mouseMove(w.plot(), at + QPoint(80, 60));
    QTest::mouseRelease(w.plot(), Qt::LeftButton, Qt::NoModifier, at + QPoint(80, 60));
    QCOMPARE(spy.count(), 0);
    QVERIFY(w.plot()->xAxis->range().size() < before.size());
    w.resetZoom();
    QCOMPARE(w.plot()->xAxis->range(), before);
}

void TestWidgetPlots::frontOnlyHidesDominated() {
    ParetoPlot w;
    const QVector<PointView> pts = sweep(3, 40, 11);
    const int front = int(ParetoPlot::front(pts).size());
    QVERIFY(front > 0 && front < pts.size());
    w.setPoints(pts);
    w.flush();
    QCOMPARE(runDots(w), pts.size());
    w.setFrontOnly(true);
    w.flush();
    QCOMPARE(runDots(w), front);
    w.setFrontOnly(false);
    w.flush();
    QCOMPARE(runDots(w), pts.size());
}

void TestWidgetPlots::curvesOneGraphPerRunPerPanel() {
    TrainingCurves w;
    showSized(w);
    QVector<RunCurves> runs(3);
    for (int r = 0; r < runs.size(); ++r) {
        runs[r].run = 10 + r;
        runs[r].name = QStringLiteral("run %1").arg(r);
        for (int e = 0; e < 20; ++e)
            runs[r].epochs.push_back({e, 1.0 / (e + 1), 0.5 + 0.01 * e, 1e4 / (e + 1), 1e-6 * e});
    }
    const int before = w.replotCount();
    for (int i = 0; i < 20; ++i) w.setRuns(runs);
    QTest::qWait(120);
    QVERIFY(w.replotCount() - before >= 1 && w.replotCount() - before <= 3);
    for (int p = 0; p < TrainingCurves::PanelCount; ++p) {
        const QList<QCPGraph*> graphs = w.panel(TrainingCurves::Panel(p))->graphs();
        QCOMPARE(graphs.size(), 3);
        for (int r = 0; r < 3; ++r) {
            QCOMPARE(graphs[r]->name(), runs[r].name);
            QCOMPARE(graphs[r]->pen().color(), hgq::widgets::run_color(r));
        }
    }
    // beta = 0 at epoch 0 has no place on the log axis; the accuracy panel is in percent.
    QCOMPARE(w.panel(TrainingCurves::Beta)->graphs()[0]->dataCount(), 19);
    QCOMPARE(w.panel(TrainingCurves::ValAccuracy)->graphs()[0]->data()->at(0)->value, 50.0);
    w.setRuns({});
    w.flush();
    QCOMPARE(w.panel(TrainingCurves::Loss)->graphs().size(), 0);
}

void TestWidgetPlots::lutAxisShowsSynthesizedPointsOnly() {
    // Point 2 is dominated on EBOPs (more EBOPs, less accuracy than 1) but synthesizes to fewer
    // LUTs: on the LUT axis it is on the front. Point 3 is not synthesized.
    QVector<PointView> pts = {pt(1, 1000, 0.90), pt(2, 1200, 0.85), pt(3, 5000, 0.95)};
    pts[0].luts_synth = 1500;
    pts[1].luts_synth = 1100;
    QCOMPARE(ids(ParetoPlot::front(pts)), QVector<qint64>({1, 3}));
    QCOMPARE(ids(ParetoPlot::front(pts, hgq::widgets::XAxis::SynthLuts)), QVector<qint64>({2, 1}));
    ParetoPlot w;
    showSized(w);
    w.setPoints(pts);
    w.setXAxis(hgq::widgets::XAxis::SynthLuts);
    w.flush();
    QCOMPARE(w.xAxis(), hgq::widgets::XAxis::SynthLuts);
    QVERIFY(w.pixelOf(1).x() >= 0 && w.pixelOf(2).x() >= 0);
    QCOMPARE(w.pixelOf(3), QPointF(-1, -1));
    QVERIFY(w.pixelOf(2).x() < w.pixelOf(1).x());  // fewer LUTs: further left
    QCOMPARE(w.plot()->xAxis->label(), QStringLiteral("synthesized LUTs (yosys)"));
    w.setXAxis(hgq::widgets::XAxis::Ebops);
    w.flush();
    QVERIFY(w.pixelOf(3).x() >= 0 && w.pixelOf(2).x() > w.pixelOf(1).x());
}

void TestWidgetPlots::calibrationDrawsPointsAndFit() {
    hgq::widgets::CalibrationPlot w;
    showSized(w);
    w.setData({}, {});
    QVERIFY(w.fitText().isEmpty());
    QVector<hgq::widgets::SynthPointView> pts;
    for (int i = 0; i < 4; ++i) {
        hgq::widgets::SynthPointView s;
        s.point = i + 1, s.run = 1 + i % 2, s.family = "xcup";
        s.ebops = 500 * std::pow(4.0, i);
        s.luts = 3.4 * std::pow(s.ebops, 0.888);
        pts.push_back(s);
    }
    w.setData(pts, {true, 3.4, 0.888, 1.0, 4, "xcup"});
    w.plot()->replot();
    QVERIFY2(w.fitText().contains("EBOPs^0.888") && w.fitText().contains("R² = 1.0000"),
             qPrintable(w.fitText()));
    for (const auto& s : pts) QVERIFY(w.pixelOf(s.point).x() >= 0);
    // More EBOPs: right and up (log–log, both axes increasing).
    QVERIFY(w.pixelOf(4).x() > w.pixelOf(1).x() && w.pixelOf(4).y() < w.pixelOf(1).y());
    QSignalSpy clicked(&w, &hgq::widgets::CalibrationPlot::pointClicked);
    QTest::mouseClick(w.plot(), Qt::LeftButton, {}, w.pixelOf(3).toPoint());
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.at(0).at(0).toLongLong(), 3LL);
}

void TestWidgetPlots::screenshots() {
    ParetoPlot pareto;
    showSized(pareto);
    pareto.grab().save(QDir::temp().filePath("hA_pareto_empty.png"));
    const QVector<PointView> pts = sweep(5, 60, 42);
    pareto.setPoints(pts);
    pareto.setSelectedPoint(ParetoPlot::front(pts)[3].id);
    pareto.flush();
    QVERIFY(pareto.grab().save(QDir::temp().filePath("hA_pareto.png")));

    TrainingCurves curves;
    showSized(curves);
    curves.grab().save(QDir::temp().filePath("hA_curves_empty.png"));
    QVector<RunCurves> runs(3);
    for (int r = 0; r < runs.size(); ++r) {
        runs[r].run = r + 1;
        runs[r].name = QStringLiteral("β %1e-6 → %2e-4").arg(r + 1).arg(r + 1);
        for (int e = 1; e <= 200; ++e) {
            const double t = e / 200.0;
            runs[r].epochs.push_back({e, 0.9 * std::exp(-3 * t) + 0.35 + 0.05 * r,
                                      0.76 - 0.3 * std::exp(-6 * t) - 0.02 * r,
                                      2e5 * std::exp(-(3 + r) * t) + 800,
                                      (r + 1) * 1e-6 * std::pow(100.0, t)});
        }
    }
    curves.setRuns(runs);
    curves.flush();
    QVERIFY(curves.grab().save(QDir::temp().filePath("hA_curves.png")));
}

QTEST_MAIN(TestWidgetPlots)
#include "test_widget_plots.moc"
