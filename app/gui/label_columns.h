// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QStringList>

namespace hgq::gui {
// The columns a label can come from: a CSV header's names, an ARFF file's attributes; empty for
// NPY (labels come from a second file) or unreadable files.
QStringList label_columns(const QString& path);
}  // namespace hgq::gui
