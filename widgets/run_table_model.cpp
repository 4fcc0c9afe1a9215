// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_table_model.h"

#include <QBrush>
#include <QMap>

#include "plot_data.h"

namespace hgq::widgets {

void RunTableModel::setRuns(const QVector<RunRow>& runs) {
    bool same_ids = runs.size() == rows_.size();
    for (int i = 0; same_ids && i < runs.size(); ++i) same_ids = runs[i].id == rows_[i].id;
    if (!same_ids) {
        beginResetModel();
        rows_ = runs;
        endResetModel();
        return;
    }
    rows_ = runs;  // same rows: refresh values only, keeping the view's selection
    if (!rows_.isEmpty()) emit dataChanged(index(0, 0), index(rowCount() - 1, Count - 1));
}

int RunTableModel::rowOf(qint64 run) const {
    for (int i = 0; i < rows_.size(); ++i)
        if (rows_[i].id == run) return i;
    return -1;
}

QString RunTableModel::statusCounts() const {
    QMap<QString, int> n;
    for (const RunRow& r : rows_) ++n[r.status];
    QStringList parts;
    for (auto it = n.begin(); it != n.end(); ++it)
        parts << QString("%1 %2").arg(it.value()).arg(it.key());
    return parts.isEmpty() ? tr("no runs") : parts.join(QStringLiteral(" · "));
}

int RunTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(rows_.size());
}
int RunTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : Count;
}

QVariant RunTableModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* names[] = {"run",    "sweep",         "name",      "status",  "epochs",
                                  "points", "best test acc", "min EBOPs", "seconds", "SLURM"};
    return section >= 0 && section < Count ? tr(names[section]) : QVariant();
}

// Numbers are returned as numbers so the proxy sorts 10 after 9.
QVariant RunTableModel::display(const RunRow& r, int column) const {
    switch (column) {
        case Id:
            return r.id;
        case Sweep:
            return r.sweep > 0 ? QVariant(r.sweep) : QVariant(QString());
        case Name:
            return r.name;
        case Status:
            return r.status;
        case Epochs:
            return QString("%1/%2").arg(r.epochs_done).arg(r.epochs_planned);
        case Points:
            return r.points;
        case BestAccuracy:
            return r.points ? QVariant(QString::number(100 * r.best_accuracy, 'f', 2) + " %")
                            : QVariant();
        case MinEbops:
            return r.points ? QVariant(qlonglong(r.min_ebops)) : QVariant();
        case Seconds:
            return QString::number(r.seconds, 'f', 1);
        case Cluster:
            return r.cluster;
    }
    return {};
}

QVariant RunTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rows_.size()) return {};
    const RunRow& r = rows_[index.row()];
    if (role == Qt::DisplayRole) return display(r, index.column());
    if (role == Qt::UserRole) {  // sort keys
        if (index.column() == BestAccuracy) return r.best_accuracy;
        if (index.column() == Epochs) return r.epochs_done;
        if (index.column() == Seconds) return r.seconds;
        return display(r, index.column());
    }
    if (role == Qt::DecorationRole && index.column() == Name) return run_color(r.color_index);
    if (role == Qt::ToolTipRole && !r.error.isEmpty()) return r.error;
    if (role == Qt::ForegroundRole && index.column() == Status) {
        if (r.status == "failed") return QBrush(QColor(200, 30, 30));
        if (r.status == "interrupted" || r.status == "cancelled")
            return QBrush(QColor(190, 120, 0));
        if (r.status == "running") return QBrush(QColor(20, 110, 200));
    }
    return {};
}

}  // namespace hgq::widgets
