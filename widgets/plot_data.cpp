// SPDX-License-Identifier: GPL-3.0-or-later
#include "plot_data.h"

namespace hgq::widgets {

// A qualitative palette that stays distinguishable for the first dozen runs, then cycles hue.
QColor run_color(int index) {
    static const QColor base[] = {
        QColor(31, 119, 180),  QColor(255, 127, 14), QColor(44, 160, 44),   QColor(214, 39, 40),
        QColor(148, 103, 189), QColor(140, 86, 75),  QColor(227, 119, 194), QColor(127, 127, 127),
        QColor(188, 189, 34),  QColor(23, 190, 207)};
    const int n = int(std::size(base));
    if (index < n) return base[index < 0 ? 0 : index];
    return QColor::fromHsv((index * 47) % 360, 160, 200);
}

}  // namespace hgq::widgets
