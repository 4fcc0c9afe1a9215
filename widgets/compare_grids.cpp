// SPDX-License-Identifier: GPL-3.0-or-later
#include "compare_grids.h"

#include "bit_heatmap.h"

#include <QPainter>
#include <cmath>

namespace hgq::widgets {
namespace {

// A weight's bits: the heatmap's own count (the span of the code, as the engine counts it).
int span(qint64 code) {
    return BitHeatmap::codeBits(code);
}

}  // namespace

QColor bit_diff_color(qint64 code_a, qint64 code_b) {
    const int a = span(code_a), b = span(code_b);
    if (a == 0 && b == 0) return Qt::white;
    if (a == 0) return QColor(30, 150, 60);
    if (b == 0) return QColor(20, 20, 20);
    const int d = std::clamp(b - a, -4, 4);
    if (d == 0) return QColor(215, 215, 215);
    const int t = 255 - 45 * std::abs(d);  // deeper for larger differences
    return d > 0 ? QColor(230, t - 20, t - 20) : QColor(t - 20, t - 10, 235);
}

BitDiffCounts bit_diff_counts(const KernelView& a, const KernelView& b) {
    BitDiffCounts n;
    const int size = std::min(a.codes.size(), b.codes.size());
    for (int i = 0; i < size; ++i) {
        const int sa = span(a.codes[i]), sb = span(b.codes[i]);
        if (sa == 0 && sb == 0)
            ++n.pruned_both;
        else if (sa == 0)
            ++n.pruned_a_only;
        else if (sb == 0)
            ++n.pruned_b_only;
        else if (sb > sa)
            ++n.more;
        else if (sb < sa)
            ++n.fewer;
        else
            ++n.same;
    }
    return n;
}

BitDiffMap::BitDiffMap(QWidget* parent) : QWidget(parent) {
    setMinimumSize(120, 80);
}

void BitDiffMap::setKernels(const KernelView* a, const KernelView* b) {
    shown_ = a && b && a->codes.size() == b->codes.size() && a->rows == b->rows;
    if (shown_) a_ = *a, b_ = *b;
    update();
}

void BitDiffMap::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().window());
    if (!shown_ || a_.rows <= 0 || a_.cols <= 0) {
        p.drawText(rect(), Qt::AlignCenter, tr("The two points have different kernels"));
        return;
    }
    // Inputs down, outputs across, every weight one cell; cells stay square where they fit.
    const double cw = double(width()) / a_.cols, ch = double(height()) / a_.rows;
    const double c = std::min(cw, ch);
    const double x0 = (width() - c * a_.cols) / 2, y0 = (height() - c * a_.rows) / 2;
    for (int r = 0; r < a_.rows; ++r)
        for (int k = 0; k < a_.cols; ++k) {
            const int i = r * a_.cols + k;
            p.fillRect(QRectF(x0 + k * c, y0 + r * c, c + 0.5, c + 0.5),
                       bit_diff_color(a_.codes[i], b_.codes[i]));
        }
    p.setPen(QPen(QColor(150, 150, 150), 1));
    p.drawRect(QRectF(x0, y0, c * a_.cols, c * a_.rows));
}

ConfusionGrid::ConfusionGrid(QWidget* parent) : QWidget(parent) {
    setMinimumSize(120, 120);
}

void ConfusionGrid::setMatrix(const QString& title, const QVector<QVector<qint64>>& m) {
    title_ = title;
    m_ = m;
    update();
}

void ConfusionGrid::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().window());
    const int n = int(m_.size());
    const int title_h = fontMetrics().height() + 4;
    p.drawText(QRect(0, 0, width(), title_h), Qt::AlignCenter, title_);
    if (n == 0) return;
    qint64 row_max = 1;
    for (const auto& row : m_)
        for (qint64 v : row) row_max = std::max(row_max, v);
    const double c = std::min(double(width()), double(height() - title_h)) / n;
    const double x0 = (width() - c * n) / 2, y0 = title_h;
    QFont f = font();
    f.setPointSizeF(std::clamp(c / 3.2, 5.0, 10.0));
    p.setFont(f);
    for (int t = 0; t < n; ++t)
        for (int q = 0; q < n && q < m_[t].size(); ++q) {
            const double share = std::sqrt(double(m_[t][q]) / double(row_max));
            const QColor fill =
                t == q ? QColor::fromRgbF(1 - 0.7 * share, 1 - 0.35 * share, 1 - 0.7 * share)
                       : QColor::fromRgbF(1, 1 - 0.75 * share, 1 - 0.75 * share);
            const QRectF cell(x0 + q * c, y0 + t * c, c, c);
            p.fillRect(cell, fill);
            if (m_[t][q] > 0 && c >= 14) {
                p.setPen(share > 0.6 ? Qt::white : Qt::black);
                p.drawText(cell, Qt::AlignCenter, QString::number(m_[t][q]));
            }
        }
    p.setPen(QColor(160, 160, 160));
    p.drawRect(QRectF(x0, y0, c * n, c * n));
}

}  // namespace hgq::widgets
