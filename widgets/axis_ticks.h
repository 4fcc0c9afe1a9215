// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QFont>
#include <QLocale>
#include <QPointer>
#include <QString>
#include <QVector>

#include <qcustomplot.h>

namespace hgq::widgets {

// The ticker of every log axis of the views. Ticks sit at 1-2-5 × 10^k; as the range widens or
// the axis shortens they thin to 1 × 10^k, then to every 2nd, 3rd, 5th … decade. Under about a
// decade, when too few of those fall in the range, finer steps come in (1-1.5-2-3-5-7 × 10^k,
// then evenly spaced round numbers). How many labels fit is measured: the axis's pixel length
// and the tick label font's text widths (heights on a vertical axis) decide, so labels never
// overlap. All labels of an axis share one format: grouped plain numbers ("500", "1,000",
// "20,000") while every label is in [0.001, 10⁶), else mantissa·10^exp ("10⁻⁶", or "1·10⁶",
// "2·10⁶" when some mantissa is not 1).
class LogTicker : public QCPAxisTicker {
  public:
    explicit LogTicker(QCPAxis* axis = nullptr);

    void generate(const QCPRange& range, const QLocale& locale, QChar formatChar, int precision,
                  QVector<double>& ticks, QVector<double>* subTicks,
                  QVector<QString>* tickLabels) override;

    // The choice itself, for an axis of `length_px` pixels whose tick labels use `font`, with
    // `room_before` / `room_after` pixels between the axis's ends and the widget's edges (a label
    // crossing an edge is not drawn, so its tick is not counted).
    static void choose(const QCPRange& range, double length_px, const QFont& font, bool horizontal,
                       const QLocale& locale, QVector<double>& ticks, QVector<double>* subTicks,
                       QVector<QString>* labels, double room_before = 1e9, double room_after = 1e9);
    // The labels of `ticks` in one format, as described above.
    static QVector<QString> format(const QVector<double>& ticks, const QLocale& locale);

    // The pixel length the last generate() used (the axis rect of the previous layout).
    double usedLength() const { return used_length_; }

  private:
    QPointer<QCPAxis> axis_;
    double used_length_ = 0;
};

// Makes `axis` logarithmic with a LogTicker. The ticker reads the axis length of the last
// layout; when a layout changes it (a resize), one more replot is queued so the labels follow.
void use_log_ticks(QCPAxis* axis);
// The former name, kept for callers outside widgets/.
inline void use_adaptive_log_ticks(QCPAxis* axis) {
    use_log_ticks(axis);
}

}  // namespace hgq::widgets
