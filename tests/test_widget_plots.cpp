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
#include <array>
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

// CIE L*a*b* (D65), written out here so the palette is checked independently of the widgets.
std::array<double, 3> lab(const QColor& c) {
    auto lin = [](double v) {
        return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    const double r = lin(c.redF()), g = lin(c.greenF()), b = lin(c.blueF());
    const double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    const double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    const double z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    auto f = [](double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116; };
    return {116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))};
}

double deltaE(const QColor& a, const QColor& b) {
    const auto p = lab(a), q = lab(b);
    return std::hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

// Points of `runs` runs with long, unique names as the app makes them.
QVector<PointView> manyRuns(int runs) {
    QVector<PointView> pts = sweep(runs, 4, 99);
    for (PointView& p : pts)
        p.run_name = QStringLiteral("#%1 digits-mlp β=3e-4 · sweep %2 · a long descriptive suffix")
                         .arg(p.run)
                         .arg(1 + p.run / 10);
    return pts;
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
    void calibrationCautionsWeakFits();
    void legendBelowDataFor50Runs();
    void provisionalOwnLayerAndEntry();
    void pinnedPointMarked();
    void saveImageSizeAndClean();
    void curvesHoverAndEpochMarker();
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

// A power law through two points fits them exactly: R² = 1 must not be shown as a verdict.
void TestWidgetPlots::calibrationCautionsWeakFits() {
    hgq::widgets::CalibrationPlot w;
    QVector<hgq::widgets::SynthPointView> pts(2);
    pts[0].point = 1, pts[0].run = 1, pts[0].ebops = 1000, pts[0].luts = 900;
    pts[1].point = 2, pts[1].run = 1, pts[1].ebops = 4000, pts[1].luts = 3000;
    w.setData(pts, {true, 3.4, 0.888, 1.0, 2, "xcup"});
    QVERIFY2(!w.fitText().contains(QStringLiteral("R²  = 1")) &&
                 !w.fitText().contains(QStringLiteral("R² = 1.0000")) &&
                 w.fitText().contains(QStringLiteral("2 points")) &&
                 w.fitText().contains(QStringLiteral("synthesize more")),
             qPrintable(w.fitText()));
    w.setData(pts, {true, 3.4, 0.888, 0.62, 7, "xcup"});
    QVERIFY2(w.fitText().contains(QStringLiteral("R² = 0.6200")) &&
                 w.fitText().contains(QStringLiteral("weak fit")),
             qPrintable(w.fitText()));
    w.setData(pts, {true, 3.4, 0.888, 0.995, 12, "xcup"});
    QVERIFY2(!w.fitText().contains(QStringLiteral("weak")) &&
                 !w.fitText().contains(QStringLiteral("few points")),
             qPrintable(w.fitText()));
}

// 50 runs: the legend is a block below the axes (never over the data), limited to a few rows
// with "+K more runs", the selected point's run listed; every colour shown differs from every
// other by ΔE ≥ 15 (CIELAB), and so do run_color(0..49).
void TestWidgetPlots::legendBelowDataFor50Runs() {
    ParetoPlot w;
    showSized(w);
    const QVector<PointView> pts = manyRuns(50);
    w.setPoints(pts);
    w.setSelectedPoint(pts[37 * 4 + 1].id);  // run 38, not on the front
    w.flush();
    QCPLegend* legend = w.legend();
    QVERIFY(legend && legend->visible() && legend->itemCount() > 2);
    const QRect axes = w.plot()->axisRect()->outerRect();
    QVERIFY2(!legend->outerRect().intersects(axes) &&
                 !legend->outerRect().intersects(w.plot()->axisRect()->rect()),
             qPrintable(QStringLiteral("legend %1,%2 %3×%4; axes %5,%6 %7×%8")
                            .arg(legend->outerRect().x())
                            .arg(legend->outerRect().y())
                            .arg(legend->outerRect().width())
                            .arg(legend->outerRect().height())
                            .arg(axes.x())
                            .arg(axes.y())
                            .arg(axes.width())
                            .arg(axes.height())));
    QVERIFY(w.plot()->rect().contains(legend->outerRect()));
    QCOMPARE(w.legendRuns() + w.legendMoreRuns(), 50);
    QVERIFY(w.legendMoreRuns() > 0);
    QVERIFY(legend->outerRect().height() < w.plot()->height() / 4);
    QVector<QColor> colors;
    bool selected_run_listed = false;
    for (int i = 0; i < legend->itemCount(); ++i) {
        auto* item = qobject_cast<QCPPlottableLegendItem*>(legend->item(i));
        if (!item) continue;
        auto* g = qobject_cast<QCPGraph*>(item->plottable());
        QVERIFY(g);
        if (g->name().startsWith(QStringLiteral("#38 "))) selected_run_listed = true;
        if (g->name().startsWith(QStringLiteral("#")))
            colors.push_back(g->scatterStyle().pen().color());
        QVERIFY(item->outerRect().width() < w.width() / 2);  // long names elided
    }
    QVERIFY(selected_run_listed);
    QCOMPARE(colors.size(), w.legendRuns());
    for (int i = 0; i < colors.size(); ++i)
        for (int j = 0; j < i; ++j)
            QVERIFY2(deltaE(colors[i], colors[j]) >= 15,
                     qPrintable(colors[i].name() + QStringLiteral(" ~ ") + colors[j].name()));
    for (int i = 0; i < 50; ++i)
        for (int j = 0; j < i; ++j)
            QVERIFY2(deltaE(hgq::widgets::run_color(i), hgq::widgets::run_color(j)) >= 15,
                     qPrintable(QStringLiteral("run_color(%1) ~ run_color(%2)").arg(i).arg(j)));
    // A few runs: all listed, nothing "more"; hidden on request.
    w.setPoints(sweep(3, 10, 5));
    w.flush();
    QCOMPARE(w.legendRuns(), 3);
    QCOMPARE(w.legendMoreRuns(), 0);
    w.setLegendShown(false);
    QVERIFY(!w.legend()->visible());
}

// Still-training points: hollow, on a layer of their own, one legend entry for all of them that
// says what they are, a tooltip that says they are not test accuracy, never on the front.
void TestWidgetPlots::provisionalOwnLayerAndEntry() {
    ParetoPlot w;
    showSized(w);
    QVector<PointView> pts = sweep(3, 10, 21);
    for (int r = 1; r <= 2; ++r)
        for (int i = 0; i < 3; ++i) {
            PointView p = pt(-(100 * r + i), 2e3 * (i + 1), 0.99, r);
            p.provisional = true;
            pts.push_back(p);
        }
    w.setPoints(pts);
    w.flush();
    int provisional_graphs = 0, provisional_entries = 0;
    for (int i = 0; i < w.plot()->graphCount(); ++i) {
        QCPGraph* g = w.plot()->graph(i);
        if (g->name().endsWith(QStringLiteral("(training)"))) {
            ++provisional_graphs;
            QCOMPARE(g->layer()->name(), QStringLiteral("provisional"));
            QCOMPARE(g->scatterStyle().brush().style(), Qt::NoBrush);
        }
    }
    QCOMPARE(provisional_graphs, 2);
    for (int i = 0; i < w.legend()->itemCount(); ++i) {
        auto* item = qobject_cast<QCPPlottableLegendItem*>(w.legend()->item(i));
        if (item && item->plottable()->layer()->name() == QStringLiteral("provisional")) {
            ++provisional_entries;
            QVERIFY(item->plottable()->name().contains(QStringLiteral("training")));
            QVERIFY(item->plottable()->name().contains(QStringLiteral("val. accuracy")));
            QVERIFY(item->plottable()->name().contains(QStringLiteral("est. EBOPs")));
        }
    }
    QCOMPARE(provisional_entries, 1);
    QVERIFY(w.plot()->layer(QStringLiteral("provisional"))->index() <
            w.plot()->layer(QStringLiteral("main"))->index());
    // Never on the drawn front, though their 99 % would top it.
    for (int i = 0; i < w.plot()->graphCount(); ++i)
        if (w.plot()->graph(i)->name() == QStringLiteral("Pareto front"))
            for (auto it = w.plot()->graph(i)->data()->constBegin();
                 it != w.plot()->graph(i)->data()->constEnd(); ++it)
                QVERIFY(it->value < 99);
    const QPoint at = w.pixelOf(-101).toPoint();
    QVERIFY(at.x() >= 0);
    QTest::mouseMove(w.plot(), at);
    QTRY_VERIFY(QToolTip::text().contains(QStringLiteral("still training")));
    QVERIFY(QToolTip::text().contains(QStringLiteral("not test accuracy")));
    QVERIFY(QToolTip::text().contains(QStringLiteral("not exact")));
    QToolTip::hideText();
}

QCPGraph* diamondGraph(const ParetoPlot& w) {
    for (int i = 0; i < w.plot()->graphCount(); ++i)
        if (w.plot()->graph(i)->scatterStyle().shape() == QCPScatterStyle::ssDiamond)
            return w.plot()->graph(i);
    return nullptr;
}

QCPItemText* pinnedLabel(const ParetoPlot& w) {
    for (int i = 0; i < w.plot()->itemCount(); ++i)
        if (auto* t = qobject_cast<QCPItemText*>(w.plot()->item(i)))
            if (t->text() == QStringLiteral("pinned")) return t;
    return nullptr;
}

// The pinned point: a diamond and a "pinned" label at its dot, not the selection ring, kept
// across setPoints; 0 clears.
void TestWidgetPlots::pinnedPointMarked() {
    ParetoPlot w;
    showSized(w);
    QVector<PointView> pts = sweep(3, 20, 8);
    w.setPoints(pts);
    w.flush();
    const qint64 pin = pts[5].id, sel = pts[9].id;
    w.setPinnedPoint(pin);
    w.setSelectedPoint(sel);
    QCOMPARE(w.pinnedPoint(), pin);
    QCPGraph* d = diamondGraph(w);
    QVERIFY(d && d->dataCount() == 1);
    auto pixel = [&](QCPGraph* g) {
        return QPointF(w.plot()->xAxis->coordToPixel(g->data()->at(0)->key),
                       w.plot()->yAxis->coordToPixel(g->data()->at(0)->value));
    };
    w.plot()->replot();
    QVERIFY(QLineF(pixel(d), w.pixelOf(pin)).length() < 0.5);
    QVERIFY(pinnedLabel(w) && pinnedLabel(w)->visible());
    pts.push_back(pt(9999, 5e3, 0.3, 2));  // a live update rebuilds every graph
    w.setPoints(pts);
    w.flush();
    d = diamondGraph(w);
    QVERIFY(d && d->dataCount() == 1);
    QVERIFY(QLineF(pixel(d), w.pixelOf(pin)).length() < 0.5);
    QCOMPARE(w.selectedPoint(), sel);
    w.setPinnedPoint(0);
    QCOMPARE(diamondGraph(w)->dataCount(), 0);
    QVERIFY(!pinnedLabel(w)->visible());
}

int pinPixels(const QImage& img) {
    int n = 0;
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x) {
            const QColor c = img.pixelColor(x, y);
            if (std::abs(c.red() - 170) < 25 && c.green() < 40 && std::abs(c.blue() - 120) < 25)
                ++n;
        }
    return n;
}

// saveImage: the size and device-pixel scale asked for, PNG or PDF; clean leaves out the ring
// and the pinned marker and restores them.
void TestWidgetPlots::saveImageSizeAndClean() {
    ParetoPlot w;
    showSized(w);
    const QVector<PointView> pts = sweep(3, 30, 4);
    w.setPoints(pts);
    w.flush();
    w.setSelectedPoint(pts[3].id);
    w.setPinnedPoint(pts[7].id);
    const QString png = QDir::temp().filePath(QStringLiteral("hgq_export.png"));
    const QString clean = QDir::temp().filePath(QStringLiteral("hgq_export_clean.png"));
    QVERIFY(w.saveImage(png, 1000, 640, 2.0, false));
    QVERIFY(w.saveImage(clean, 1000, 640, 2.0, true));
    const QImage a(png), b(clean);
    QCOMPARE(a.size(), QSize(2000, 1280));
    QCOMPARE(b.size(), QSize(2000, 1280));
    QVERIFY2(pinPixels(a) > 30, qPrintable(QString::number(pinPixels(a))));
    QCOMPARE(pinPixels(b), 0);
    QCOMPARE(w.plot()->size(), QSize(800, 600));  // the view is as before
    QCOMPARE(w.selectedPoint(), pts[3].id);
    QVERIFY(pinnedLabel(w)->visible() && diamondGraph(w)->visible());
    const QString pdf = QDir::temp().filePath(QStringLiteral("hgq_export.pdf"));
    QVERIFY(w.saveImage(pdf, 800, 500, 1.0, true));
    QFile f(pdf);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.read(4), QByteArray("%PDF"));
}

// Training curves: hovering a curve names the run, the epoch and the panel's value there;
// setSelectedEpoch draws a line at the epoch on every panel, and run 0 clears it.
void TestWidgetPlots::curvesHoverAndEpochMarker() {
    TrainingCurves w;
    showSized(w);
    QVector<RunCurves> runs(2);
    for (int r = 0; r < 2; ++r) {
        runs[r].run = 7 + r;
        runs[r].name = QStringLiteral("run %1").arg(7 + r);
        for (int e = 1; e <= 40; ++e)
            runs[r].epochs.push_back({e, 1.0 / e + r, 0.5 + 0.01 * e, 1e4 / e, 1e-6 * e});
    }
    w.setRuns(runs);
    w.flush();
    QCPAxisRect* loss = w.panel(TrainingCurves::Loss);
    const QPointF at(loss->axis(QCPAxis::atBottom)->coordToPixel(12.3),
                     loss->axis(QCPAxis::atLeft)->coordToPixel(1.0 / 12 + 1));
    const QString tip = w.tooltipAt(at);
    QVERIFY2(tip.contains(QStringLiteral("run 8")) && tip.contains(QStringLiteral("#8")) &&
                 tip.contains(QStringLiteral("epoch 12")) &&
                 tip.contains(QString::number(1.0 / 12 + 1, 'g', 4)),
             qPrintable(tip));
    QCPAxisRect* ebops = w.panel(TrainingCurves::Ebops);
    const QString tip2 = w.tooltipAt(QPointF(ebops->axis(QCPAxis::atBottom)->coordToPixel(20),
                                             ebops->axis(QCPAxis::atLeft)->coordToPixel(500)));
    QVERIFY2(
        tip2.contains(QStringLiteral("epoch 20")) && tip2.contains(QStringLiteral("EBOPs: <b>500")),
        qPrintable(tip2));
    QVERIFY(w.tooltipAt(QPointF(2, 2)).isEmpty());
    QTest::mouseMove(w.plot(), at.toPoint());
    QTRY_VERIFY(QToolTip::text().contains(QStringLiteral("epoch 12")));
    QToolTip::hideText();

    w.setSelectedEpoch(8, 25);
    w.plot()->replot();
    for (int p = 0; p < TrainingCurves::PanelCount; ++p) {
        QCPItemStraightLine* line = w.epochMarker(TrainingCurves::Panel(p));
        QVERIFY(line->visible());
        QCOMPARE(line->clipAxisRect(), w.panel(TrainingCurves::Panel(p)));
        const double x =
            w.panel(TrainingCurves::Panel(p))->axis(QCPAxis::atBottom)->coordToPixel(25);
        QVERIFY(std::abs(line->point1->pixelPosition().x() - x) < 0.5);
        QVERIFY(std::abs(line->point2->pixelPosition().x() - x) < 0.5);
    }
    w.setRuns(runs);  // kept across updates
    w.flush();
    QVERIFY(w.epochMarker(TrainingCurves::Beta)->visible());
    auto* legend = qobject_cast<QCPLegend*>(w.plot()->plotLayout()->element(1, 0));
    QVERIFY(legend);
    QCOMPARE(legend->itemCount(), 2);  // one entry per run, not one more per rebuild
    w.setRuns({runs[0]});              // its run gone: hidden
    w.flush();
    QVERIFY(!w.epochMarker(TrainingCurves::Beta)->visible());
    w.setRuns(runs);
    w.flush();
    w.setSelectedEpoch(0, 0);
    QVERIFY(!w.epochMarker(TrainingCurves::Loss)->visible());
}

void TestWidgetPlots::screenshots() {
    ParetoPlot pareto;
    showSized(pareto);
    pareto.grab().save(QDir::temp().filePath("hA_pareto_empty.png"));
    const QVector<PointView> pts = sweep(5, 60, 42);
    pareto.setPoints(pts);
    pareto.setSelectedPoint(ParetoPlot::front(pts)[3].id);
    pareto.setPinnedPoint(ParetoPlot::front(pts)[6].id);
    pareto.flush();
    QVERIFY(pareto.grab().save(QDir::temp().filePath("hA_pareto.png")));
    QVector<PointView> live = manyRuns(50);
    for (int i = 0; i < 4; ++i) {
        PointView p = pt(-(500 + i), 400 * (i + 1), 0.62 + 0.02 * i, 49);
        p.provisional = true;
        live.push_back(p);
    }
    pareto.setPoints(live);
    pareto.setSelectedPoint(ParetoPlot::front(live)[2].id);
    pareto.setPinnedPoint(ParetoPlot::front(live)[5].id);
    pareto.flush();
    QVERIFY(pareto.grab().save(QDir::temp().filePath("hA_pareto_50runs.png")));
    pareto.resize(563, 747);
    pareto.flush();
    QVERIFY(pareto.grab().save(QDir::temp().filePath("hA_pareto_50runs_563x747.png")));

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
    curves.setSelectedEpoch(2, 120);
    curves.flush();
    QVERIFY(curves.grab().save(QDir::temp().filePath("hA_curves.png")));

    hgq::widgets::CalibrationPlot calib;
    showSized(calib);
    QVector<hgq::widgets::SynthPointView> synth(2);
    synth[0].point = 1, synth[0].run = 1, synth[0].ebops = 1200, synth[0].luts = 1013;
    synth[1].point = 2, synth[1].run = 2, synth[1].ebops = 5400, synth[1].luts = 3900;
    calib.setData(synth, {true, 2.1, 0.899, 1.0, 2, "xcup"});
    calib.plot()->replot();
    QVERIFY(calib.grab().save(QDir::temp().filePath("hA_calibration_2points.png")));
}

QTEST_MAIN(TestWidgetPlots)
#include "test_widget_plots.moc"
