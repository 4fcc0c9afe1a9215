// SPDX-License-Identifier: GPL-3.0-or-later
// The bit-width views on hand-made data: histogram bins (per layer, summed, pinned overlay),
// per-weight bits and their hover text, conv tile placement, and one repaint per burst of edits.
#include <qcustomplot.h>
#include <QComboBox>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QToolTip>
#include <QtTest>
#include <cmath>
#include <limits>

#include "bit_heatmap.h"
#include "bit_histogram.h"

using hgq::widgets::BitHeatmap;
using hgq::widgets::BitHistogram;
using hgq::widgets::KernelView;
using hgq::widgets::LayerBits;
using Kind = BitHistogram::Kind;
using Values = QVector<double>;

namespace {

QVector<LayerBits> twoLayers() {
    return {{"dense0", {2, 3, 5}, {0, 4, 1, 2}}, {"dense1", {1, 0, 0, 7}, {3}}};
}

// The same layers in the other order and with other counts: matched by name, not position.
QVector<LayerBits> pinnedLayers() {
    return {{"dense1", {0, 2, 2, 2, 1}, {}}, {"dense0", {4, 4}, {1}}};
}

// 3 inputs × 2 outputs, row-major, one weight pruned.
KernelView denseKernel() {
    KernelView k;
    k.layer = "fc";
    k.rows = 3;
    k.cols = 2;
    k.codes = {5, -4, 0, 1, -3, 6};
    k.f = {3, 3, 3, 2, 1, 2};
    return k;
}

// kh = kw = 2, in_c = 2, 3 outputs: rows ordered (ky, kx, c), code = 3·row + col + 1.
KernelView convKernel() {
    KernelView k;
    k.layer = "conv2d0";
    k.kernel_h = k.kernel_w = k.in_c = 2;
    k.rows = 8;
    k.cols = 3;
    for (int r = 0; r < k.rows; ++r)
        for (int c = 0; c < k.cols; ++c) k.codes << 3 * r + c + 1;
    k.codes[5 * 3 + 1] = 0;
    k.f = {4};
    return k;
}

double mapCell(BitHeatmap& h, int x, int y) {
    auto* map = qobject_cast<QCPColorMap*>(h.plot()->plottable(0));
    return map ? map->data()->cell(x, y) : -1;
}

}  // namespace

class TestWidgetBits : public QObject {
    Q_OBJECT
  private slots:
    void histogramSumsLayers();
    void histogramPerLayerAndKind();
    void histogramPinnedOverlay();
    void histogramLayerBox();
    void histogramCoalescesReplots();
    void codeBitsTable();
    void fixedTypeAndValue();
    void heatmapDense();
    void heatmapConvTiles();
    void heatmapEmpty();
    void hoverTooltips();
    void screenshots();
};

void TestWidgetBits::histogramSumsLayers() {
    QCOMPARE(BitHistogram::sumLayers(twoLayers(), Kind::Weights), (QVector<qint64>{3, 3, 5, 7}));
    QCOMPARE(BitHistogram::sumLayers(twoLayers(), Kind::Activations),
             (QVector<qint64>{3, 4, 1, 2}));
    QVERIFY(BitHistogram::sumLayers({}, Kind::Weights).isEmpty());
}

void TestWidgetBits::histogramPerLayerAndKind() {
    BitHistogram h;
    QVERIFY(h.barValues().isEmpty());  // "Select a point"
    h.setPoint("run a · epoch 7", twoLayers());
    QCOMPARE(h.layer(), -1);
    QCOMPARE(h.barValues(), (Values{3, 3, 5, 7}));
    h.setLayer(0);
    QCOMPARE(h.barValues(), (Values{2, 3, 5}));
    h.setLayer(1);
    QCOMPARE(h.barValues(), (Values{1, 0, 0, 7}));
    QSignalSpy kinds(&h, &BitHistogram::kindChanged);
    h.setKind(Kind::Activations);
    QCOMPARE(kinds.count(), 1);
    QVERIFY(h.activationsButton()->isChecked());
    QCOMPARE(h.barValues(), (Values{3}));
    h.setLayer(-1);
    QCOMPARE(h.barValues(), (Values{3, 4, 1, 2}));
    h.weightsButton()->click();  // the radio button drives the mode too
    QCOMPARE(h.kind(), Kind::Weights);
    QCOMPARE(h.barValues(), (Values{3, 3, 5, 7}));
    QVERIFY(h.pinnedValues().isEmpty());
}

// Entries, not grid cells: the legend wraps its entries two per row (itemCount counts cells).
static int legendEntries(const BitHistogram& h) {
    int n = 0;
    for (int i = 0; i < h.plot()->legend->itemCount(); ++i) n += h.plot()->legend->item(i) != nullptr;
    return n;
}

void TestWidgetBits::histogramPinnedOverlay() {
    BitHistogram h;
    h.setPoint("a", twoLayers());
    h.setPinned("b", pinnedLayers());
    QVERIFY(h.hasPinned());
    QCOMPARE(h.barValues(), (Values{3, 3, 5, 7, 0}));  // padded to the pinned point's 4 bits
    QCOMPARE(h.pinnedValues(), (Values{4, 6, 2, 2, 1}));
    h.setLayer(0);  // dense0: index 1 of the pinned point
    QCOMPARE(h.barValues(), (Values{2, 3, 5}));
    QCOMPARE(h.pinnedValues(), (Values{4, 4, 0}));
    h.setKind(Kind::Activations);
    QCOMPARE(h.barValues(), (Values{0, 4, 1, 2}));
    QCOMPARE(h.pinnedValues(), (Values{1, 0, 0, 0}));
    QCOMPARE(legendEntries(h), 3);  // point, pinned, pruned
    h.clearPinned();
    QVERIFY(h.pinnedValues().isEmpty());
    QCOMPARE(legendEntries(h), 2);
}

void TestWidgetBits::histogramLayerBox() {
    BitHistogram h;
    h.setPoint("a", twoLayers());
    QCOMPARE(h.layerBox()->count(), 3);
    QCOMPARE(h.layerBox()->itemText(2), QString("dense1"));
    QSignalSpy layers(&h, &BitHistogram::layerChanged);
    h.layerBox()->setCurrentIndex(2);
    QCOMPARE(h.layer(), 1);
    QCOMPARE(layers.count(), 1);
    QCOMPARE(layers.at(0).at(0).toInt(), 1);
    h.setPoint("c", {twoLayers()[0]});  // fewer layers: back to all layers
    QCOMPARE(h.layer(), -1);
    QCOMPARE(h.layerBox()->currentIndex(), 0);
    QCOMPARE(h.barValues(), (Values{2, 3, 5}));
}

void TestWidgetBits::histogramCoalescesReplots() {
    BitHistogram h;
    h.resize(800, 600);
    h.show();
    QVERIFY(QTest::qWaitForWindowExposed(&h));
    QTest::qWait(100);
    QSignalSpy replots(h.plot(), &QCustomPlot::afterReplot);
    h.setPoint("a", twoLayers());
    h.setPinned("b", pinnedLayers());
    h.setLayer(1);
    h.setKind(Kind::Activations);
    QTest::qWait(150);
    QCOMPARE(replots.count(), 1);
}

void TestWidgetBits::codeBitsTable() {
    const qint64 big = qint64(1) << 40;
    const qint64 lo = std::numeric_limits<qint64>::min(), hi = std::numeric_limits<qint64>::max();
    // clang-format off
    const QList<std::pair<qint64, int>> table = {
        {0, 0},  {1, 1},  {2, 1},  {3, 2},  {4, 1},  {5, 3},  {6, 2},
        {-1, 1}, {-2, 1}, {-3, 2}, {-4, 1}, {-5, 3},
        {big, 1}, {big + 1, 41}, {-big - 1, 41}, {hi, 63}, {lo, 1}};
    // clang-format on
    for (const auto& [code, bits] : table) {
        if (BitHeatmap::codeBits(code) != bits) qWarning() << "code" << code;
        QCOMPARE(BitHeatmap::codeBits(code), bits);
    }
}

void TestWidgetBits::fixedTypeAndValue() {
    QCOMPARE(BitHeatmap::fixedType(5, 3), QString("ap_fixed<4,1>"));   // 0.625 in [-1, 0.875]
    QCOMPARE(BitHeatmap::fixedType(-4, 3), QString("ap_fixed<1,0>"));  // -0.5: {-0.5, 0}
    QCOMPARE(BitHeatmap::fixedType(1, 0), QString("ap_fixed<2,2>"));
    QCOMPARE(BitHeatmap::fixedType(-1, 0), QString("ap_fixed<1,1>"));
    QCOMPARE(BitHeatmap::fixedType(6, 2), QString("ap_fixed<3,2>"));  // 1.5 = 3·2^-1
    QCOMPARE(BitHeatmap::fixedType(-5, 4), QString("ap_fixed<4,0>"));
    QCOMPARE(BitHeatmap::fixedType(3, -2), QString("ap_fixed<3,5>"));  // 12
    QCOMPARE(BitHeatmap::fixedType(0, 3), QString("pruned (0 bits)"));
    QCOMPARE(BitHeatmap::exactValue(5, 3), QString("0.625"));
    QCOMPARE(BitHeatmap::exactValue(-4, 3), QString("-0.5"));
    QCOMPARE(BitHeatmap::exactValue(3, 30), QString("0.000000002793967723846435546875"));
    QCOMPARE(BitHeatmap::exactValue(3, -2), QString("12"));
    QCOMPARE(BitHeatmap::exactValue(-7, 0), QString("-7"));
    QCOMPARE(BitHeatmap::exactValue(0, 5), QString("0"));
    QCOMPARE(BitHeatmap::exactValue(-1, 1), QString("-0.5"));
}

void TestWidgetBits::heatmapDense() {
    BitHeatmap h;
    h.resize(800, 600);
    h.setKernel(denseKernel());
    const int bits[3][2] = {{3, 1}, {0, 1}, {2, 2}};
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 2; ++c) {
            QCOMPARE(h.cellOf(r, c), QPoint(c, r));  // outputs on x, inputs on y
            QCOMPARE(h.valueAt(r, c), bits[r][c]);
            QCOMPARE(mapCell(h, c, r), double(bits[r][c]));
        }
    QCOMPARE(h.cellOf(3, 0), QPoint(-1, -1));
    QCOMPARE(h.valueAt(0, 2), -1);
    QCOMPARE(h.maxBits(), 3);
    QCOMPARE(h.prunedFraction(), 1.0 / 6.0);
    QCOMPARE(h.cellText(0, 0), QString("layer fc\ninput 0\noutput 0\nvalue 5 · 2^-3 = 0.625\n"
                                       "bits 3 (magnitude; the type adds the sign bit)\ntype ap_fixed<4,1>"));
    QCOMPARE(h.cellText(1, 0), QString("layer fc\ninput 1\noutput 0\nvalue 0 · 2^-3 = 0\n"
                                       "bits 0\ntype pruned (0 bits)"));
    QVERIFY(h.cellText(0, 1).contains("value -4 · 2^-3 = -0.5"));
    QVERIFY(h.cellText(5, 0).isEmpty());
}

void TestWidgetBits::heatmapConvTiles() {
    BitHeatmap h;
    h.setKernel(convKernel());
    // Tiles of 2 channels × 3 outputs, 2 × 2 of them, a gap column at x = 3 and row at y = 2.
    QCOMPARE(h.cellOf(0, 0), QPoint(0, 0));
    QCOMPARE(h.cellOf(1, 2), QPoint(2, 1));  // ky 0, kx 0, c 1
    QCOMPARE(h.cellOf(2, 2), QPoint(6, 0));  // ky 0, kx 1, c 0
    QCOMPARE(h.cellOf(5, 1), QPoint(1, 4));  // ky 1, kx 0, c 1
    QCOMPARE(h.cellOf(7, 2), QPoint(6, 4));  // ky 1, kx 1, c 1
    for (int y = 0; y < 5; ++y) QVERIFY(std::isnan(mapCell(h, 3, y)));
    for (int x = 0; x < 7; ++x) QVERIFY(std::isnan(mapCell(h, x, 2)));
    for (int r = 0; r < 8; ++r)
        for (int c = 0; c < 3; ++c) {
            const qint64 code = r == 5 && c == 1 ? 0 : 3 * r + c + 1;
            QCOMPARE(h.valueAt(r, c), BitHeatmap::codeBits(code));
            const QPoint p = h.cellOf(r, c);
            QCOMPARE(mapCell(h, p.x(), p.y()), double(BitHeatmap::codeBits(code)));
        }
    QCOMPARE(h.valueAt(5, 1), 0);
    QCOMPARE(h.prunedFraction(), 1.0 / 24.0);
    QCOMPARE(h.cellText(5, 2), QString("layer conv2d0\ninput ky 1, kx 0, channel 1 (row 5)\n"
                                       "output 2\nvalue 18 · 2^-4 = 1.125\nbits 4 (magnitude; the type adds the sign bit)\n"
                                       "type ap_fixed<5,2>"));
}

void TestWidgetBits::heatmapEmpty() {
    BitHeatmap h;
    QCOMPARE(h.valueAt(0, 0), -1);
    QVERIFY(h.cellText(0, 0).isEmpty());
    KernelView broken = denseKernel();
    broken.codes.removeLast();  // not rows × cols: drawn as nothing rather than read past the end
    h.setKernel(broken);
    QCOMPARE(h.cellOf(0, 0), QPoint(-1, -1));
    h.setKernel(denseKernel());
    h.clear();
    QCOMPARE(h.prunedFraction(), 0.0);
}

// A mouse move over a cell (or a bar) shows that cell's text as a tooltip.
void TestWidgetBits::hoverTooltips() {
    BitHeatmap m;
    m.resize(800, 600);
    m.setKernel(denseKernel());
    m.show();
    QVERIFY(QTest::qWaitForWindowExposed(&m));
    m.plot()->replot();  // lays out the axis rect so pixels map to cells
    auto hover = [](QCustomPlot* plot, double key, double value) {
        const QPointF pos(plot->xAxis->coordToPixel(key), plot->yAxis->coordToPixel(value));
        QMouseEvent move(QEvent::MouseMove, pos, plot->mapToGlobal(pos), Qt::NoButton, Qt::NoButton,
                         Qt::NoModifier);
        QApplication::sendEvent(plot, &move);
    };
    hover(m.plot(), 1.2, 2.1);  // output 1, input 2
    QTRY_VERIFY(QToolTip::isVisible());
    QCOMPARE(QToolTip::text(), m.cellText(2, 1));

    BitHistogram h;
    h.resize(800, 600);
    h.setPoint("a", twoLayers());
    h.show();
    QVERIFY(QTest::qWaitForWindowExposed(&h));
    h.plot()->replot();
    hover(h.plot(), 3.1, 1.0);
    QTRY_VERIFY(QToolTip::text().startsWith("3 bits"));
    QCOMPARE(QToolTip::text(), QString("3 bits\na: 7 (38.9 %)"));
}

void TestWidgetBits::screenshots() {
    QRandomGenerator rng(7);
    auto hist = [&rng](const QString& name, int peak, int pruned) {
        LayerBits l{name, {pruned}, {0}};
        for (int b = 1; b <= 8; ++b) {
            const double g = std::exp(-0.5 * (b - peak) * (b - peak));
            l.weight_hist << qint64(400 * g) + rng.bounded(20);
            l.act_hist << qint64(60 * std::exp(-0.3 * (b - peak - 1) * (b - peak - 1)));
        }
        return l;
    };
    BitHistogram h;
    h.resize(800, 600);
    h.setPoint("run 3 · epoch 120 (94.1 %)", {hist("dense0", 4, 310), hist("dense1", 3, 220)});
    h.setPinned("run 5 · epoch 80 (92.7 %)", {hist("dense0", 3, 520), hist("dense1", 2, 400)});
    h.show();
    QVERIFY(QTest::qWaitForWindowExposed(&h));
    QTest::qWait(100);
    QVERIFY(h.grab().save("/tmp/hB_hist.png"));

    KernelView k;
    k.layer = "dense0";
    k.rows = 24;
    k.cols = 16;
    for (int i = 0; i < k.rows * k.cols; ++i) {
        const bool pruned = rng.bounded(100) < 35;
        k.codes << (pruned ? 0 : qint64(rng.bounded(-60, 61)));
        k.f << 6;
    }
    BitHeatmap m;
    m.resize(800, 600);
    m.setKernel(k);
    m.show();
    QVERIFY(QTest::qWaitForWindowExposed(&m));
    QTest::qWait(100);
    QVERIFY(m.grab().save("/tmp/hB_heatmap.png"));
    KernelView c = convKernel();
    for (qint64& code : c.codes) code = rng.bounded(100) < 30 ? 0 : rng.bounded(-40, 41);
    m.setKernel(c);
    QTest::qWait(100);
    QVERIFY(m.grab().save("/tmp/hB_heatmap_conv.png"));
}

QTEST_MAIN(TestWidgetBits)
#include "test_widget_bits.moc"
