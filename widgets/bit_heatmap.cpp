// SPDX-License-Identifier: GPL-3.0-or-later
#include "bit_heatmap.h"

#include <qcustomplot.h>
#include <QToolTip>
#include <QVBoxLayout>
#include <bit>
#include <cmath>
#include <limits>
#include <string>

#include "plot_marks.h"

namespace hgq::widgets {
namespace {

const QColor kPrunedColor(205, 205, 205);

quint64 magnitude(qint64 code) {
    return code < 0 ? 0 - quint64(code) : quint64(code);
}

// Viridis, sampled at nine points: perceptually uniform and readable by colour-blind users.
QColor viridis(double t) {
    static const QColor stops[] = {
        QColor(68, 1, 84),    QColor(71, 44, 122),  QColor(59, 81, 139),
        QColor(44, 113, 142), QColor(33, 144, 141), QColor(39, 173, 129),
        QColor(92, 200, 99),  QColor(170, 220, 50), QColor(253, 231, 37)};
    const double x = std::clamp(t, 0.0, 1.0) * 8.0;
    const int i = std::min(int(x), 7);
    const double u = x - i;
    auto mix = [u](int a, int b) { return int(std::lround(a + (b - a) * u)); };
    return QColor(mix(stops[i].red(), stops[i + 1].red()),
                  mix(stops[i].green(), stops[i + 1].green()),
                  mix(stops[i].blue(), stops[i + 1].blue()));
}

// Multiplies a decimal digit string by a small factor, in place.
void multiply(std::string& digits, int factor) {
    int carry = 0;
    for (int i = int(digits.size()) - 1; i >= 0; --i) {
        const int x = (digits[i] - '0') * factor + carry;
        digits[i] = char('0' + x % 10);
        carry = x / 10;
    }
    for (; carry > 0; carry /= 10) digits.insert(digits.begin(), char('0' + carry % 10));
}

QCPRange cellRange(int cells) {  // cell centres at 0..n-1; one cell must still have a width
    return cells > 1 ? QCPRange(0, cells - 1) : QCPRange(-0.5, 0.5);
}

}  // namespace

BitHeatmap::BitHeatmap(QWidget* parent) : QWidget(parent) {
    plot_ = new QCustomPlot(this);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);

    plot_->plotLayout()->insertRow(0);
    title_ = new QCPTextElement(plot_, QString(), QFont(font().family(), 11, QFont::Bold));
    plot_->plotLayout()->addElement(0, 0, title_);
    map_ = new QCPColorMap(plot_->xAxis, plot_->yAxis);
    map_->setInterpolate(false);  // one flat square per weight
    map_->setTightBoundary(false);
    scale_ = new QCPColorScale(plot_);
    plot_->plotLayout()->addElement(1, 1, scale_);
    scale_->setType(QCPAxis::atRight);
    scale_->setLabel(tr("bits"));
    scale_->setBarWidth(14);
    map_->setColorScale(scale_);
    // The colour bar spans exactly the heatmap's height.
    auto* group = new QCPMarginGroup(plot_);
    plot_->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, group);
    scale_->setMarginGroup(QCP::msBottom | QCP::msTop, group);
    plot_->yAxis->setRangeReversed(true);  // row 0 at the top, as a matrix is read
    for (QCPAxis* a : {plot_->xAxis, plot_->yAxis}) a->grid()->setVisible(false);
    plot_->axisRect()->setupFullAxesBox(true);

    empty_text_ = add_centre_note(plot_, tr("Select a point"));
    empty_text_->setFont(QFont(font().family(), 12));

    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->setMouseTracking(true);
    connect(plot_, &QCustomPlot::mouseMove, this, &BitHeatmap::showTip);
    connect(plot_, &QCustomPlot::mouseDoubleClick, this, [this] { resetView(); });
    replot_timer_.setSingleShot(true);
    replot_timer_.setInterval(33);
    connect(&replot_timer_, &QTimer::timeout, this,
            [this] { plot_->replot(QCustomPlot::rpQueuedReplot); });
    clear();
}

int BitHeatmap::codeBits(qint64 code) {
    quint64 m = magnitude(code);
    if (m == 0) return 0;
    m >>= std::countr_zero(m);  // trailing zeros are free: they only move the binary point
    return int(std::bit_width(m));
}

QString BitHeatmap::fixedType(qint64 code, int f) {
    if (code == 0) return tr("pruned (0 bits)");
    const int t = std::countr_zero(magnitude(code));
    const qint64 m = code >> t;  // odd; C++20 shifts negative values arithmetically
    const int w =
        m > 0 ? int(std::bit_width(quint64(m))) + 1 : int(std::bit_width(quint64(-(m + 1)))) + 1;
    const int fraction = f - t;
    return QStringLiteral("ap_fixed<%1,%2>").arg(w).arg(w - fraction);
}

QString BitHeatmap::exactValue(qint64 code, int f) {
    if (code == 0) return QStringLiteral("0");
    if (std::abs(f) > 4096) return QString::number(std::ldexp(double(code), -f), 'g', 17);
    // code·2^-f = code·5^f / 10^f: the digits of code·5^f with the point moved f places.
    std::string d = std::to_string(magnitude(code));
    for (int i = 0; i < -f; ++i) multiply(d, 2);
    for (int i = 0; i < f; ++i) multiply(d, 5);
    if (f > 0) {
        if (int(d.size()) <= f) d.insert(0, size_t(f - int(d.size()) + 1), '0');
        d.insert(d.size() - size_t(f), 1, '.');
        while (d.back() == '0') d.pop_back();
        if (d.back() == '.') d.pop_back();
    }
    return QString::fromStdString((code < 0 ? "-" : "") + d);
}

bool BitHeatmap::isConv() const {
    return k_.in_c > 0 && k_.kernel_h > 0 && k_.kernel_w > 0 &&
           k_.kernel_h * k_.kernel_w * k_.in_c == k_.rows;
}

QPoint BitHeatmap::cellOf(int row, int col) const {
    if (!valid_ || row < 0 || col < 0 || row >= k_.rows || col >= k_.cols) return {-1, -1};
    if (!isConv()) return {col, row};
    const int tile = row / k_.in_c, c = row % k_.in_c;
    const int ky = tile / k_.kernel_w, kx = tile % k_.kernel_w;
    return {kx * (k_.cols + 1) + col, ky * (k_.in_c + 1) + c};
}

bool BitHeatmap::entryOf(int x, int y, int* row, int* col) const {
    if (!valid_ || x < 0 || y < 0) return false;
    if (!isConv()) {
        *row = y, *col = x;
        return y < k_.rows && x < k_.cols;
    }
    const int kx = x / (k_.cols + 1), ky = y / (k_.in_c + 1);
    *col = x % (k_.cols + 1);
    const int c = y % (k_.in_c + 1);
    *row = (ky * k_.kernel_w + kx) * k_.in_c + c;
    return *col < k_.cols && c < k_.in_c && kx < k_.kernel_w && ky < k_.kernel_h;  // else a gap
}

int BitHeatmap::valueAt(int row, int col) const {
    return cellOf(row, col).x() < 0 ? -1 : codeBits(codeAt(row, col));
}

int BitHeatmap::fAt(int row, int col) const {
    const int n = int(k_.f.size());
    if (n == int(k_.codes.size())) return k_.f[row * k_.cols + col];
    if (n == k_.cols) return k_.f[col];
    return n == 1 ? k_.f[0] : 0;
}

double BitHeatmap::prunedFraction() const {
    if (!valid_ || k_.codes.isEmpty()) return 0;
    return double(k_.codes.count(0)) / double(k_.codes.size());
}

QString BitHeatmap::cellText(int row, int col) const {
    if (cellOf(row, col).x() < 0) return {};
    const qint64 code = codeAt(row, col);
    const int f = fAt(row, col), bits = codeBits(code);
    QString input = tr("input %1").arg(row);
    if (isConv()) {
        const int tile = row / k_.in_c;
        input = tr("input ky %1, kx %2, channel %3 (row %4)")
                    .arg(tile / k_.kernel_w)
                    .arg(tile % k_.kernel_w)
                    .arg(row % k_.in_c)
                    .arg(row);
    }
    QStringList lines{tr("layer %1").arg(k_.layer),
                      input,
                      tr("output %1").arg(col),
                      tr("value %1 · 2^%2 = %3").arg(code).arg(-f).arg(exactValue(code, f)),
                      bits == 0 ? tr("bits 0")
                                : tr("bits %1 (magnitude; the type adds the sign bit)").arg(bits),
                      tr("type %1").arg(fixedType(code, f))};
    return lines.join('\n');
}

void BitHeatmap::clear() {
    setKernel(KernelView{});
}

void BitHeatmap::setKernel(const KernelView& k) {
    k_ = k;
    valid_ = k.rows > 0 && k.cols > 0 && k.codes.size() == qsizetype(k.rows) * k.cols;
    last_cell_ = {-1, -1};
    fillMap();
    applyGradient();
    setupTicks();
    resetView();
    const double pruned = 100.0 * prunedFraction();
    title_->setText(valid_ ? tr("%1 · %2 % pruned").arg(k_.layer).arg(pruned, 0, 'f', 1)
                           : QString());
    empty_text_->setVisible(!valid_);
    scale_->setVisible(valid_);
    scheduleReplot();
}

QSize BitHeatmap::gridSize() const {
    if (!valid_) return {1, 1};
    if (!isConv()) return {k_.cols, k_.rows};
    return {k_.kernel_w * (k_.cols + 1) - 1, k_.kernel_h * (k_.in_c + 1) - 1};
}

void BitHeatmap::fillMap() {
    const QSize g = gridSize();
    QCPColorMapData* data = map_->data();
    data->setSize(g.width(), g.height());
    data->setRange(cellRange(g.width()), cellRange(g.height()));
    data->fill(std::numeric_limits<double>::quiet_NaN());  // tile gaps stay transparent
    max_bits_ = 0;
    if (!valid_) return;
    for (int r = 0; r < k_.rows; ++r)
        for (int c = 0; c < k_.cols; ++c) {
            const int bits = codeBits(codeAt(r, c));
            const QPoint p = cellOf(r, c);
            data->setCell(p.x(), p.y(), bits);
            max_bits_ = std::max(max_bits_, bits);
        }
}

// One fixed scale for every point and layer, so a bit-width has the same colour wherever it is
// shown and two heatmaps can be compared side by side: bands 0..kScaleTop, each integer b owning
// [b, b+1)/(kScaleTop+1) of the gradient, flat inside (a cell never blends two widths); band 0
// is grey so pruned weights stand apart; widths above kScaleTop share the top colour.
void BitHeatmap::applyGradient() {
    const int top = kScaleTop, bands = top + 1;
    QMap<double, QColor> stops;
    for (int b = 0; b <= top; ++b) {
        const QColor c = colorOf(b);
        stops[double(b) / bands] = c;
        stops[double(b + 1) / bands - 1e-6] = c;
    }
    QCPColorGradient gradient;
    gradient.setColorStops(stops);
    gradient.setLevelCount(std::min(4096, bands * 32));
    gradient.setNanHandling(QCPColorGradient::nhTransparent);
    map_->setGradient(gradient);
    map_->setDataRange(QCPRange(-0.5, top + 0.5));  // integer b sits mid-band
}

QColor BitHeatmap::colorOf(int bits) {
    if (bits <= 0) return kPrunedColor;
    return viridis(double(std::min(bits, kScaleTop) - 1) / double(kScaleTop - 1));
}

void BitHeatmap::setupTicks() {
    auto bits = QSharedPointer<QCPAxisTickerText>::create();
    for (int b = 0; b <= kScaleTop; b += 2)
        bits->addTick(b, b == 0 ? tr("pruned") : b == kScaleTop ? tr("%1+").arg(b) : QString::number(b));
    scale_->axis()->setTicker(bits);

    if (!isConv()) {
        for (QCPAxis* a : {plot_->xAxis, plot_->yAxis, plot_->xAxis2, plot_->yAxis2}) {
            auto fixed = QSharedPointer<QCPAxisTickerFixed>::create();
            fixed->setTickStep(1.0);  // indices are integers
            fixed->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
            a->setTicker(fixed);
        }
        plot_->xAxis->setLabel(tr("output"));
        plot_->yAxis->setLabel(tr("input"));
        return;
    }
    // Conv: label the tiles, not the cells; the hover gives every index of a cell.
    auto tiles_x = QSharedPointer<QCPAxisTickerText>::create();
    for (int kx = 0; kx < k_.kernel_w; ++kx)
        tiles_x->addTick(kx * (k_.cols + 1) + (k_.cols - 1) / 2.0, tr("kx %1").arg(kx));
    auto tiles_y = QSharedPointer<QCPAxisTickerText>::create();
    for (int ky = 0; ky < k_.kernel_h; ++ky)
        tiles_y->addTick(ky * (k_.in_c + 1) + (k_.in_c - 1) / 2.0, tr("ky %1").arg(ky));
    plot_->xAxis->setTicker(tiles_x);
    plot_->xAxis2->setTicker(tiles_x);
    plot_->yAxis->setTicker(tiles_y);
    plot_->yAxis2->setTicker(tiles_y);
    plot_->xAxis->setLabel(tr("output channel, one tile per kx"));
    plot_->yAxis->setLabel(tr("input channel, one tile per ky"));
}

void BitHeatmap::resetView() {
    const QSize g = gridSize();
    plot_->xAxis->setRange(-0.5, g.width() - 0.5);
    plot_->yAxis->setRange(-0.5, g.height() - 0.5);
    scheduleReplot();
}

void BitHeatmap::showTip(QMouseEvent* event) {
    const QPointF pos = event->position();
    QPoint cell(-1, -1);
    if (valid_ && plot_->axisRect()->rect().contains(pos.toPoint()))
        cell = QPoint(int(std::floor(plot_->xAxis->pixelToCoord(pos.x()) + 0.5)),
                      int(std::floor(plot_->yAxis->pixelToCoord(pos.y()) + 0.5)));
    if (cell == last_cell_) return;  // same cell: keep the tip where it is
    last_cell_ = cell;
    int row = -1, col = -1;
    if (!entryOf(cell.x(), cell.y(), &row, &col)) {
        QToolTip::hideText();
        return;
    }
    QToolTip::showText(event->globalPosition().toPoint(), cellText(row, col), plot_);
}

void BitHeatmap::scheduleReplot() {
    if (!replot_timer_.isActive()) replot_timer_.start();
}

}  // namespace hgq::widgets
