// SPDX-License-Identifier: GPL-3.0-or-later
#include "axis_ticks.h"

#include <QFontMetrics>
#include <algorithm>
#include <cmath>

namespace hgq::widgets {
namespace {

// 10^k exactly for the powers a double holds exactly; x·10^k rounded once.
double scaled(double x, int k) {
    return k >= 0 ? x * std::pow(10.0, k) : x / std::pow(10.0, -k);
}

struct Candidate {
    QVector<double> ticks, sub;
};

bool inRange(double v, double lo, double hi) {
    return v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9);
}

// Ticks at m·10^k for every mantissa m of `ms` and every k with k % every == 0; sub ticks at
// the other integer mantissas 1…9 (or, when decades are skipped, at the skipped decades).
Candidate mantissaTicks(double lo, double hi, const QVector<double>& ms, int every) {
    Candidate c;
    const int e0 = int(std::floor(std::log10(lo))) - 1, e1 = int(std::ceil(std::log10(hi))) + 1;
    for (int k = e0; k <= e1; ++k) {
        const bool on = ((k % every) + every) % every == 0;
        for (int m = 1; m <= 9; ++m) {
            const double v = scaled(m, k);
            if (!inRange(v, lo, hi)) continue;
            if (on && ms.contains(double(m)))
                c.ticks.push_back(v);
            else if (every == 1 || m == 1)
                c.sub.push_back(v);
        }
        for (double m : ms) {  // non-integer mantissas (1.5)
            if (m == std::floor(m) || !on) continue;
            const double v = scaled(m * 10, k - 1);
            if (inRange(v, lo, hi)) c.ticks.push_back(v);
        }
    }
    std::sort(c.ticks.begin(), c.ticks.end());
    return c;
}

// Evenly spaced multiples of step = m·10^k (m in 1, 2, 2.5, 5).
Candidate linearTicks(double lo, double hi, double m, int k) {
    Candidate c;
    const double step = scaled(m, k);
    const double j0 = std::ceil(lo / step - 1e-9), j1 = std::floor(hi / step + 1e-9);
    if (j1 - j0 > 400) return c;
    const double parts = m == 2 ? 4 : 5;
    for (double j = j0 - 1; j <= j1 + 1; ++j) {
        const double v = scaled(j * m * 10, k - 1);  // j·m·10^k with one rounding
        if (v > 0 && inRange(v, lo, hi) && j >= j0 && j <= j1) c.ticks.push_back(v);
        for (int s = 1; s < parts; ++s) {
            const double u = scaled((j + s / parts) * m * 10, k - 1);
            if (u > 0 && inRange(u, lo, hi)) c.sub.push_back(u);
        }
    }
    return c;
}

QString superscript(int n) {
    static const QChar digits[] = {QChar(0x2070), QChar(0x00B9), QChar(0x00B2), QChar(0x00B3),
                                   QChar(0x2074), QChar(0x2075), QChar(0x2076), QChar(0x2077),
                                   QChar(0x2078), QChar(0x2079)};
    QString out;
    for (QChar ch : QString::number(n)) out += ch == '-' ? QChar(0x207B) : digits[ch.digitValue()];
    return out;
}

// The fewest decimals (up to 9) that show v exactly to 1e-9 relative.
int decimalsOf(double v) {
    for (int d = 0; d < 9; ++d) {
        const double p = std::pow(10.0, d);
        if (std::abs(std::round(v * p) / p - v) <= 1e-9 * std::abs(v)) return d;
    }
    return 9;
}

struct Fit {
    bool fits = false;
    int count = 0;
};

// Whether the labels of `ticks`, centred on their pixel positions, leave at least a gap of two
// digits (half a line on a vertical axis) between neighbours; `comfortable`: at least a label's
// width (height) × 0.75, so dense steps (1-2-5 over many decades) give way to sparser ones.
bool labelsFit(const QVector<double>& ticks, const QVector<QString>& labels, double lo, double hi,
               double length, const QFontMetrics& fm, bool horizontal, bool comfortable) {
    const double span = std::log(hi / lo);
    const double gap = horizontal ? fm.horizontalAdvance(QStringLiteral("00")) : fm.height() * 0.5;
    double prev_end = -1e300, prev_size = 0;
    for (int i = 0; i < ticks.size(); ++i) {
        const double at = length * std::log(ticks[i] / lo) / span;
        const QRect r = fm.boundingRect(QRect(), Qt::TextDontClip, labels[i]);
        const double size = horizontal ? r.width() : r.height();
        const double need = comfortable ? std::max(gap, 0.75 * (size + prev_size) / 2) : gap;
        if (at - size / 2 < prev_end + need) return false;
        prev_end = at + size / 2;
        prev_size = size;
    }
    return true;
}

}  // namespace

QVector<QString> LogTicker::format(const QVector<double>& ticks, const QLocale& locale) {
    QLocale loc = locale;
    loc.setNumberOptions(loc.numberOptions() & ~QLocale::OmitGroupSeparator);
    const bool plain = std::all_of(ticks.begin(), ticks.end(), [](double v) {
        return v >= 0.001 * (1 - 1e-9) && v < 1e6 * (1 - 1e-9);
    });
    QVector<QString> out;
    if (plain) {
        for (double v : ticks) out.push_back(loc.toString(v, 'f', decimalsOf(v)));
        return out;
    }
    QVector<int> exps;
    QVector<double> mants;
    bool all_one = true;
    for (double v : ticks) {
        int e = int(std::floor(std::log10(v)));
        double m = scaled(v, -e);
        if (m >= 10 - 1e-9) m = scaled(v, -(++e));
        if (m < 1 - 1e-9) m = scaled(v, -(--e));
        m = std::round(m * 1e6) / 1e6;
        exps.push_back(e);
        mants.push_back(m);
        all_one = all_one && m == 1;
    }
    for (int i = 0; i < ticks.size(); ++i) {
        const QString power = QStringLiteral("10") + superscript(exps[i]);
        out.push_back(all_one ? power
                              : loc.toString(mants[i], 'f', decimalsOf(mants[i])) + QChar(0x00B7) +
                                    power);
    }
    return out;
}

void LogTicker::choose(const QCPRange& range, double length_px, const QFont& font, bool horizontal,
                       const QLocale& locale, QVector<double>& ticks, QVector<double>* subTicks,
                       QVector<QString>* labels, double room_before, double room_after) {
    double lo = std::min(range.lower, range.upper), hi = std::max(range.lower, range.upper);
    ticks.clear();
    if (subTicks) subTicks->clear();
    if (labels) labels->clear();
    if (!(lo > 0) || !(hi > lo) || !std::isfinite(hi)) return;
    const double length = std::max(length_px, 20.0);
    const QFontMetrics fm(font);

    // QCustomPlot skips a label that would cross the widget's edge: such ticks are dropped, so
    // what is counted is what is drawn.
    auto visible = [&](Candidate c) {
        const double span = std::log(hi / lo);
        const QVector<QString> labels = format(c.ticks, locale);
        QVector<double> kept;
        for (int i = 0; i < c.ticks.size(); ++i) {
            const double at = length * std::log(c.ticks[i] / lo) / span;
            const QRect r = fm.boundingRect(QRect(), Qt::TextDontClip, labels[i]);
            const double half = (horizontal ? r.width() : r.height()) / 2.0 + 1;
            if (at - half >= -room_before && at + half <= length + room_after)
                kept.push_back(c.ticks[i]);
        }
        c.ticks = kept;
        return c;
    };
    auto fits = [&](const Candidate& c, bool comfortable) {
        return !c.ticks.isEmpty() && labelsFit(c.ticks, format(c.ticks, locale), lo, hi, length, fm,
                                               horizontal, comfortable);
    };

    // Coarse to fine: every n-th decade, every decade, and 1-2-5 while the range spans at most
    // four decade labels (1-2-5 over more decades reads as noise). The finest that fits wins.
    Candidate best;
    for (int every : {100, 50, 20, 10, 5, 3, 2, 1}) {
        const Candidate c = visible(mantissaTicks(lo, hi, {1}, every));
        if (c.ticks.size() >= best.ticks.size() && fits(c, false)) best = c;
    }
    const Candidate c125 = visible(mantissaTicks(lo, hi, {1, 2, 5}, 1));
    const int decades = int(visible(mantissaTicks(lo, hi, {1}, 1)).ticks.size());
    if (decades <= 4 && c125.ticks.size() > best.ticks.size() && fits(c125, false)) best = c125;

    // Under about a decade, 1-2-5 leaves few labels (one in [1000, 2000], none in [1100, 1900]):
    // finer steps, as many labels as read comfortably, never overlapping.
    const double typical =
        horizontal ? fm.boundingRect(QRect(), Qt::TextDontClip, format({hi}, locale)[0]).width()
                   : fm.height();
    const int want = std::clamp(int(length / (6 * std::max(typical, 1.0))), 3, 6);
    if (best.ticks.size() < 2 || (hi / lo < 15 && best.ticks.size() < want)) {
        QVector<Candidate> fine;
        fine.push_back(visible(mantissaTicks(lo, hi, {1, 1.5, 2, 3, 5, 7}, 1)));
        const int top = int(std::floor(std::log10(hi - lo)));
        for (int k = top; k >= top - 3; --k)
            for (double m : {5.0, 2.5, 2.0, 1.0})
                fine.push_back(visible(linearTicks(lo, hi, m, k)));
        for (bool comfortable : {true, false}) {
            Candidate most = best;
            for (const Candidate& c : fine) {
                if (c.ticks.size() <= most.ticks.size() || !fits(c, comfortable)) continue;
                most = c;
                if (most.ticks.size() >= want) break;
            }
            best = most;
            if (best.ticks.size() >= 2) break;
        }
    }
    // Not even one label fits (a tiny axis): the one nearest the middle, so the axis says its
    // magnitude.
    if (best.ticks.isEmpty()) {
        const Candidate all = mantissaTicks(lo, hi, {1, 2, 5}, 1);
        if (!all.ticks.isEmpty()) best.ticks = {all.ticks[all.ticks.size() / 2]};
    }
    ticks = best.ticks;
    if (subTicks) *subTicks = best.sub;
    if (labels) *labels = format(ticks, locale);
}

LogTicker::LogTicker(QCPAxis* axis) : axis_(axis) {}

void LogTicker::generate(const QCPRange& range, const QLocale& locale, QChar, int,
                         QVector<double>& ticks, QVector<double>* subTicks,
                         QVector<QString>* tickLabels) {
    bool horizontal = true;
    QFont font;
    double length = 400, before = 1e9, after = 1e9;
    if (axis_) {
        horizontal = axis_->orientation() == Qt::Horizontal;
        font = axis_->tickLabelFont();
        QCPAxisRect* rect = axis_->axisRect();
        const QRect vp = axis_->parentPlot() ? axis_->parentPlot()->viewport() : QRect();
        if (rect && rect->width() > 0 && rect->height() > 0) {
            const QRect r = rect->rect();
            length = horizontal ? r.width() : r.height();
            if (vp.isValid()) {
                before = horizontal ? r.left() - vp.left() : vp.bottom() - r.bottom();
                after = horizontal ? vp.right() - r.right() : r.top() - vp.top();
            }
        }
    }
    used_length_ = length;
    choose(range, length, font, horizontal, locale, ticks, subTicks, tickLabels, before, after);
}

void use_log_ticks(QCPAxis* axis) {
    axis->setScaleType(QCPAxis::stLogarithmic);
    auto ticker = QSharedPointer<LogTicker>::create(axis);
    axis->setTicker(ticker);
    axis->setNumberFormat(QStringLiteral("g"));  // labels come from the ticker, unsubstituted
    QCustomPlot* plot = axis->parentPlot();
    if (!plot) return;
    // Ticks are made before the layout of the replot that shows them: when that layout changed
    // the axis length (a resize, a wider neighbour's labels), one more replot lets them follow.
    auto queued = QSharedPointer<bool>::create(false);
    QObject::connect(plot, &QCustomPlot::afterLayout, axis, [axis, queued] {
        auto* t = dynamic_cast<LogTicker*>(axis->ticker().data());
        QCPAxisRect* rect = axis->axisRect();
        if (!t || !rect) return;
        const double l = axis->orientation() == Qt::Horizontal ? rect->width() : rect->height();
        if (std::abs(l - t->usedLength()) > 2 && !*queued) {
            *queued = true;
            axis->parentPlot()->replot(QCustomPlot::rpQueuedReplot);
        } else {
            *queued = false;
        }
    });
}

}  // namespace hgq::widgets
