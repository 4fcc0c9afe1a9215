// SPDX-License-Identifier: GPL-3.0-or-later
// The one log ticker of every view (widgets/axis_ticks): for ranges from 1.1× to 10⁶× and axes
// of 300 and 1200 px, on every log axis of the views (Pareto x, calibration x and y, training
// curves' EBOPs and β), rendered offscreen: at least two labels, no two label boxes overlap
// (measured with the tick label font at the ticks' pixels), one format per axis, and every label
// reads back as its tick's value. Screenshots: QDir::tempPath()/hgq_ticks/*.png.
#include <qcustomplot.h>
#include <QDir>
#include <QRegularExpression>
#include <QTest>
#include <cmath>

#include "axis_ticks.h"
#include "calibration_plot.h"
#include "pareto_plot.h"
#include "training_curves.h"

using hgq::widgets::CalibrationPlot;
using hgq::widgets::ParetoPlot;
using hgq::widgets::TrainingCurves;

namespace {

double axisLength(QCPAxis* a) {
    return a->orientation() == Qt::Horizontal ? a->axisRect()->width() : a->axisRect()->height();
}

// Resizes `w` until `axis` is `length` pixels long (±1), then shows `range` on it, replots and
// lets a queued replot (the ticker following a changed layout) happen.
bool showAxis(QWidget& w, QCPAxis* axis, double lo, double hi, int length) {
    QCustomPlot* plot = axis->parentPlot();
    const bool horizontal = axis->orientation() == Qt::Horizontal;
    w.resize(horizontal ? length + 120 : 420, horizontal ? 380 : length + 120);
    w.show();
    if (!QTest::qWaitForWindowExposed(&w)) return false;
    axis->setRange(lo, hi);
    // The axis grows by about (its share of the widget) per widget pixel: one secant step or
    // two get it to the length.
    double prev_size = -1, prev_len = -1;
    for (int i = 0; i < 8; ++i) {
        plot->replot();
        const double len = axisLength(axis);
        const double size = horizontal ? w.width() : w.height();
        const int d = length - int(std::lround(len));
        if (std::abs(d) <= 1) break;
        double slope = len / size;
        if (prev_size >= 0 && size != prev_size) slope = (len - prev_len) / (size - prev_size);
        prev_size = size, prev_len = len;
        const int step = int(std::lround(d / std::clamp(slope, 0.2, 1.0)));
        w.resize(w.width() + (horizontal ? step : 0), w.height() + (horizontal ? 0 : step));
        QCoreApplication::processEvents();
    }
    if (std::abs(axisLength(axis) - length) > 1) return false;
    axis->setRange(lo, hi);
    plot->replot();
    QCoreApplication::processEvents();  // a queued replot, if the layout moved the axis
    QCoreApplication::processEvents();
    return true;
}

const QString kSup = QStringLiteral("⁰¹²³⁴⁵⁶⁷⁸⁹");

// "1,250" / "0.005" (plain, grouped), "10⁻⁶" (power), "2.5·10⁶" (mantissa·power).
enum Format { Plain, Power, MantissaPower, Unknown };

Format formatOf(const QString& s, const QLocale& loc) {
    const QString g = QRegularExpression::escape(loc.groupSeparator());
    const QString d = QRegularExpression::escape(loc.decimalPoint());
    if (QRegularExpression(QStringLiteral("^\\d{1,3}(%1\\d{3})*(%2\\d+)?$").arg(g, d))
            .match(s)
            .hasMatch())
        return Plain;
    const QString pow = QStringLiteral("10⁻?[%1]+").arg(kSup);
    if (QRegularExpression(QStringLiteral("^%1$").arg(pow)).match(s).hasMatch()) return Power;
    if (QRegularExpression(QStringLiteral("^[1-9](%1\\d+)?·%2$").arg(d, pow)).match(s).hasMatch())
        return MantissaPower;
    return Unknown;
}

double parse(const QString& s, Format f, const QLocale& loc) {
    QString t = s;
    if (f == Plain) {
        t.remove(loc.groupSeparator());
        t.replace(loc.decimalPoint(), QStringLiteral("."));
        return t.toDouble();
    }
    double mant = 1;
    const int dot = t.indexOf(QStringLiteral("·"));
    if (dot >= 0) {
        mant = t.left(dot).replace(loc.decimalPoint(), QStringLiteral(".")).toDouble();
        t = t.mid(dot + 1);
    }
    t = t.mid(2);  // "10"
    int sign = 1, e = 0;
    for (QChar c : t) {
        if (c == QChar(0x207B))
            sign = -1;
        else
            e = 10 * e + int(kSup.indexOf(c));
    }
    return mant * std::pow(10.0, sign * e);
}

// Every check of the brief on one rendered axis; returns the failure or an empty string.
QString checkAxis(QCPAxis* axis, const QString& what) {
    const QVector<double> ticks = axis->tickVector();
    const QVector<QString> labels = axis->tickVectorLabels();
    const QLocale loc = axis->parentPlot()->locale();
    const QString all = QStringList(labels.toList()).join(QStringLiteral(" | "));
    const QString ctx = QStringLiteral("%1 [%2, %3] %4 px: %5")
                            .arg(what)
                            .arg(axis->range().lower)
                            .arg(axis->range().upper)
                            .arg(axisLength(axis))
                            .arg(all);
    if (labels.size() < 2 || labels.size() != ticks.size())
        return QStringLiteral("fewer than 2 labels: ") + ctx;
    const QFontMetrics fm(axis->tickLabelFont());
    const bool horizontal = axis->orientation() == Qt::Horizontal;
    QVector<QPair<double, double>> boxes;  // [start, end) along the axis
    const QRect vp = axis->parentPlot()->viewport();
    int drawn = 0;  // QCustomPlot skips a label that crosses the widget's edge
    for (int i = 0; i < ticks.size(); ++i) {
        const double at = axis->coordToPixel(ticks[i]);
        const QRect r = fm.boundingRect(QRect(), Qt::TextDontClip, labels[i]);
        const double half = (horizontal ? r.width() : r.height()) / 2.0;
        boxes.push_back({at - half, at + half});
        if (horizontal ? at - half >= vp.left() && at + half <= vp.right()
                       : at - half >= vp.top() && at + half <= vp.bottom())
            ++drawn;
    }
    if (drawn < 2) return QStringLiteral("fewer than 2 labels inside the widget: ") + ctx;
    std::sort(boxes.begin(), boxes.end());
    for (int i = 1; i < boxes.size(); ++i)
        if (boxes[i].first < boxes[i - 1].second)
            return QStringLiteral("labels %1 and %2 overlap: ").arg(i - 1).arg(i) + ctx;
    const Format f = formatOf(labels[0], loc);
    for (int i = 0; i < labels.size(); ++i) {
        const Format fi = formatOf(labels[i], loc);
        if (fi == Unknown) return QStringLiteral("unknown format \"%1\": ").arg(labels[i]) + ctx;
        if (fi != f) return QStringLiteral("mixed formats: ") + ctx;
        const double v = parse(labels[i], fi, loc);
        if (!(std::abs(v - ticks[i]) <= 1e-6 * std::abs(ticks[i])))
            return QStringLiteral("\"%1\" reads %2, the tick is %3: ")
                       .arg(labels[i])
                       .arg(v, 0, 'g', 12)
                       .arg(ticks[i], 0, 'g', 12) +
                   ctx;
    }
    return {};
}

QString shotPath(const QString& name) {
    QDir().mkpath(QDir::temp().filePath(QStringLiteral("hgq_ticks")));
    return QDir::temp().filePath(QStringLiteral("hgq_ticks/") + name + QStringLiteral(".png"));
}

}  // namespace

class TestWidgetTicks : public QObject {
    Q_OBJECT
    // One widget of each view for all rows (each row resizes it): a view per row took seconds.
    ParetoPlot* pareto_ = nullptr;
    CalibrationPlot* calib_ = nullptr;
    TrainingCurves* curves_ = nullptr;

  private slots:
    void initTestCase() {
        pareto_ = new ParetoPlot;
        calib_ = new CalibrationPlot;
        curves_ = new TrainingCurves;
    }
    void cleanupTestCase() {
        delete pareto_;
        delete calib_;
        delete curves_;
    }
    void everyLogAxis_data();
    void everyLogAxis();
    void longerAxisMoreLabels();
    void formats();
};

void TestWidgetTicks::everyLogAxis_data() {
    QTest::addColumn<double>("lo");
    QTest::addColumn<double>("hi");
    QTest::addColumn<int>("length");
    const QVector<QPair<double, double>> ranges = {
        {1000, 1100}, {1000, 2000},  {1100, 1900}, {15000, 25000}, {900, 20000},
        {10, 1e4},    {1, 1e6},      {1e-6, 1},    {0.4, 3},       {2e5, 3e6},
        {3e-7, 2e-6}, {123, 4.56e7}, {1e-12, 1e3}};
    for (int length : {300, 1200})
        for (const auto& r : ranges)
            QTest::addRow("[%g, %g] %d px", r.first, r.second, length)
                << r.first << r.second << length;
}

void TestWidgetTicks::everyLogAxis() {
    QFETCH(double, lo);
    QFETCH(double, hi);
    QFETCH(int, length);
    const QString tag =
        QString::fromLatin1(QTest::currentDataTag())
            .replace(QRegularExpression(QStringLiteral("[^0-9a-z.e+-]+")), QStringLiteral("_"));

    ParetoPlot& pareto = *pareto_;
    QVERIFY(showAxis(pareto, pareto.plot()->xAxis, lo, hi, length));
    QString err = checkAxis(pareto.plot()->xAxis, QStringLiteral("Pareto x"));
    QVERIFY2(err.isEmpty(), qPrintable(err));
    // The ticker used the length the axis now has (a resize is followed).
    auto* t = dynamic_cast<hgq::widgets::LogTicker*>(pareto.plot()->xAxis->ticker().data());
    QVERIFY(t);
    QVERIFY(std::abs(t->usedLength() - axisLength(pareto.plot()->xAxis)) <= 2);
    qInfo("%s", qPrintable(QStringList(pareto.plot()->xAxis->tickVectorLabels().toList())
                               .join(QStringLiteral("  "))));
    if (lo == 1000 || lo == 900 || lo == 1e-6 || lo == 15000)
        pareto.grab().save(shotPath(QStringLiteral("pareto_") + tag));

    for (bool y : {false, true}) {
        CalibrationPlot& calib = *calib_;
        QCPAxis* a = y ? calib.plot()->yAxis : calib.plot()->xAxis;
        QVERIFY(showAxis(calib, a, lo, hi, length));
        err = checkAxis(a, y ? QStringLiteral("calibration y") : QStringLiteral("calibration x"));
        QVERIFY2(err.isEmpty(), qPrintable(err));
    }
    for (auto p : {TrainingCurves::Ebops, TrainingCurves::Beta}) {
        TrainingCurves& curves = *curves_;
        QCPAxis* a = curves.panel(p)->axis(QCPAxis::atLeft);
        QVERIFY(showAxis(curves, a, lo, hi, length));
        err = checkAxis(a, p == TrainingCurves::Ebops ? QStringLiteral("curves EBOPs")
                                                      : QStringLiteral("curves β"));
        QVERIFY2(err.isEmpty(), qPrintable(err));
        if (length == 300 && p == TrainingCurves::Beta && (lo == 1e-6 || lo == 1000))
            curves.grab().save(shotPath(QStringLiteral("curves_") + tag));
    }
}

// The tick count follows the pixels: a 1200 px axis carries more labels than a 300 px one.
void TestWidgetTicks::longerAxisMoreLabels() {
    for (const auto& r : QVector<QPair<double, double>>{{10, 1e4}, {1000, 2000}, {15000, 25000}}) {
        int count[2];
        for (int i = 0; i < 2; ++i) {
            ParetoPlot w;
            QVERIFY(showAxis(w, w.plot()->xAxis, r.first, r.second, i ? 1200 : 300));
            count[i] = int(w.plot()->xAxis->tickVector().size());
        }
        QVERIFY2(count[1] > count[0],
                 qPrintable(QStringLiteral("[%1, %2]: %3 labels at 300 px, %4 at 1200 px")
                                .arg(r.first)
                                .arg(r.second)
                                .arg(count[0])
                                .arg(count[1])));
    }
}

// The labels of one axis: plain grouped numbers in [0.001, 10⁶), else one power form.
void TestWidgetTicks::formats() {
    using hgq::widgets::LogTicker;
    const QLocale c = QLocale::c();
    QCOMPARE(LogTicker::format({500, 1000, 20000}, c),
             (QVector<QString>{"500", "1,000", "20,000"}));
    QCOMPARE(LogTicker::format({0.001, 0.0015, 0.5}, c),
             (QVector<QString>{"0.001", "0.0015", "0.5"}));
    QCOMPARE(LogTicker::format({1e-6, 1e-3, 1}, c), (QVector<QString>{"10⁻⁶", "10⁻³", "10⁰"}));
    QCOMPARE(LogTicker::format({1e5, 5e5, 1e6, 2e6}, c),
             (QVector<QString>{"1·10⁵", "5·10⁵", "1·10⁶", "2·10⁶"}));
    QCOMPARE(LogTicker::format({1.5e6, 2e6}, c), (QVector<QString>{"1.5·10⁶", "2·10⁶"}));
}

QTEST_MAIN(TestWidgetTicks)
#include "test_widget_ticks.moc"
