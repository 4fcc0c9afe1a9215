// SPDX-License-Identifier: GPL-3.0-or-later
#include "label_columns.h"

#include <QFile>
#include <QRegularExpression>

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

}  // namespace hgq::gui
