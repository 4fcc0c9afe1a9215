// SPDX-License-Identifier: GPL-3.0-or-later
// A count typed by a user (EBOPs, LUTs): "5000", "5e3", "5,000" and "5_000" are the same number.
#pragma once
#include <QString>

namespace hgq::gui {

inline double amount_from_text(QString text, bool* ok) {
    text = text.trimmed();
    text.remove(',').remove('_').remove(' ');
    return text.toDouble(ok);
}

}  // namespace hgq::gui
