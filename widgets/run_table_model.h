// SPDX-License-Identifier: GPL-3.0-or-later
// The run table: one row per run of the study, sortable (numbers sort as numbers) and filterable
// through a QSortFilterProxyModel, with a CSV export of what is shown.
#pragma once
#include <QAbstractTableModel>
#include <QVector>

namespace hgq::widgets {

struct RunRow {
    qint64 id = 0, sweep = 0;
    QString name, status, error;
    int epochs_done = 0, epochs_planned = 0, points = 0;
    double best_accuracy = 0;  // best integer-model test accuracy of its points (0: none)
    double min_ebops = 0;      // smallest exact EBOPs of its points
    double seconds = 0;
    int color_index = 0;  // run_color index, as in the plots
    QString cluster;      // a cluster task's SLURM state and job ("RUNNING · 17_3"), else ""
};

class RunTableModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column {
        Id,
        Sweep,
        Name,
        Status,
        Epochs,
        Points,
        BestAccuracy,
        MinEbops,
        Seconds,
        Cluster,
        Count
    };
    using QAbstractTableModel::QAbstractTableModel;

    // Updates rows in place where ids match, so selections and sort order survive a refresh.
    void setRuns(const QVector<RunRow>& runs);
    const QVector<RunRow>& runs() const { return rows_; }
    int rowOf(qint64 run) const;  // -1 if absent
    // "3 running · 5 done · 1 interrupted"
    QString statusCounts() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

  private:
    QVariant display(const RunRow& r, int column) const;
    QVector<RunRow> rows_;
};

}  // namespace hgq::widgets
