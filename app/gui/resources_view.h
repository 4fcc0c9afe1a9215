// SPDX-License-Identifier: GPL-3.0-or-later
// The resources panel of the selected point: per-layer exact EBOPs, LUT estimate, pruned
// fractions and types, with the totals, and the Export button.
#pragma once
#include <QWidget>

#include "study_reader.h"

class QLabel;
class QPushButton;
class QTableWidget;

namespace hgq::gui {

class ResourcesView : public QWidget {
    Q_OBJECT
  public:
    explicit ResourcesView(QWidget* parent = nullptr);
    void setDetails(const PointDetails* d);  // null clears
    QTableWidget* table() const { return table_; }
    QPushButton* exportButton() const { return export_; }
    QPushButton* summaryButton() const { return summary_; }

  signals:
    void exportRequested();
    void summaryRequested();

  private:
    QLabel* title_;
    QTableWidget* table_;
    QPushButton *export_, *summary_;
};

}  // namespace hgq::gui
