// SPDX-License-Identifier: GPL-3.0-or-later
#include "label_columns.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <charconv>

#include "config/experiment.h"
#include "data/dataset.h"
#include "data/text_table.h"

namespace hgq::gui {

QStringList label_columns(const QString& path) {
    QStringList names;
    std::string text;
    try {
        text = read_file_maybe_gz(path.toStdString());  // .gz transparently, like the loaders
    } catch (const std::exception&) {
        return names;
    }
    const QString fmt = QString::fromStdString(format_from_extension(path.toStdString()));
    if (fmt == "csv") {
        const std::string first = text.substr(0, text.find('\n'));
        for (auto f : text::split_fields(first))
            names << QString::fromUtf8(f.data(), qsizetype(f.size()));
    } else if (fmt == "arff") {
        static const QRegularExpression attr(
            R"(^\s*@attribute\s+('[^']*'|"[^"]*"|\S+))",
            QRegularExpression::CaseInsensitiveOption | QRegularExpression::MultilineOption);
        const QString head = QString::fromStdString(text.substr(0, 1 << 16));
        for (auto it = attr.globalMatch(head); it.hasNext();) {
            QString n = it.next().captured(1);
            if (n.size() >= 2 && (n.front() == '\'' || n.front() == '"'))
                n = n.mid(1, n.size() - 2);
            names << n;
        }
    }
    return names;
}

QString ColumnProfile::summary() const {
    const QString count = distinct > kMaxDistinct
                              ? QObject::tr("over %1 distinct values").arg(kMaxDistinct)
                              : QObject::tr("%1 distinct values").arg(distinct);
    return fractional ? count + QObject::tr(", fractional numbers") : count;
}

namespace {
bool is_fractional(std::string_view v) {
    double x = 0;
    const auto r = std::from_chars(v.data(), v.data() + v.size(), x);
    return r.ec == std::errc() && r.ptr == v.data() + v.size() && x != double(int64_t(x));
}
}  // namespace

QVector<ColumnProfile> profile_csv_columns(const QString& path) {
    QVector<ColumnProfile> cols;
    if (format_from_extension(path.toStdString()) != "csv") return cols;
    std::string text;
    try {
        text = read_file_maybe_gz(path.toStdString());
    } catch (const std::exception&) {
        return cols;
    }
    std::vector<QSet<QString>> seen;
    size_t pos = 0;
    for (int line = 0; pos < text.size() && line <= 20000; ++line) {
        size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        std::string_view row = std::string_view(text).substr(pos, end - pos);
        if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
        const auto fields = text::split_fields(row);
        pos = end + 1;
        if (line == 0) {
            for (auto f : fields)
                cols.push_back({QString::fromUtf8(f.data(), qsizetype(f.size()))});
            seen.resize(size_t(cols.size()));
            continue;
        }
        for (size_t c = 0; c < fields.size() && c < seen.size(); ++c) {
            if (seen[c].size() <= kMaxDistinct)
                seen[c].insert(QString::fromUtf8(fields[c].data(), qsizetype(fields[c].size())));
            cols[qsizetype(c)].fractional |= is_fractional(fields[c]);
        }
    }
    for (qsizetype c = 0; c < cols.size(); ++c) cols[c].distinct = int(seen[size_t(c)].size());
    // Likely labels first; among them the last column (the loaders' default) leads.
    const QString last = cols.isEmpty() ? QString() : cols.back().name;
    std::stable_sort(cols.begin(), cols.end(), [&](const ColumnProfile& a, const ColumnProfile& b) {
        const bool la = a.likelyLabel(), lb = b.likelyLabel();
        if (la != lb) return la;
        return la && a.name == last && b.name != last;
    });
    return cols;
}

}  // namespace hgq::gui
