// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QStringList>
#include <QVector>

namespace hgq::gui {
// The columns a label can come from: a CSV header's names, an ARFF file's attributes; empty for
// NPY (labels come from a second file) or unreadable files.
QStringList label_columns(const QString& path);

// What a CSV column holds, from its first rows: a label column holds class numbers or names, so a
// column of fractional numbers, or of hundreds of distinct values, is almost surely a feature.
struct ColumnProfile {
    QString name;
    int distinct = 0;         // distinct values seen, capped at kMaxDistinct + 1
    bool fractional = false;  // some value is a number with a fractional part
    bool likelyLabel() const { return !fractional && distinct >= 2 && distinct <= 100; }
    QString summary() const;  // "3 values", "290 distinct values, fractional"
};
constexpr int kMaxDistinct = 1000;

// The columns of a CSV (first 20,000 rows), likely label columns first (in file order, the last
// column first among them when it is one), then the others; empty for other formats.
QVector<ColumnProfile> profile_csv_columns(const QString& path);
}  // namespace hgq::gui
