// SPDX-License-Identifier: GPL-3.0-or-later
// The Compare view's painted grids: a kernel's per-weight bit difference (B − A) and a
// confusion matrix with its counts. Plain QPainter cells: every cell is one weight or one class
// pair, and the numbers stay readable at any size.
#pragma once
#include <QWidget>

#include "compare_view.h"

namespace hgq::widgets {

// The colour of one weight: B has more bits (red shades), fewer (blue), the same (light grey);
// pruned in A only (green), in B only (black), in both (white).
QColor bit_diff_color(qint64 code_a, qint64 code_b);

class BitDiffMap : public QWidget {
  public:
    explicit BitDiffMap(QWidget* parent = nullptr);
    void setKernels(const KernelView* a, const KernelView* b);  // null: empty

  protected:
    void paintEvent(QPaintEvent*) override;

  private:
    KernelView a_, b_;
    bool shown_ = false;
};

class ConfusionGrid : public QWidget {
  public:
    explicit ConfusionGrid(QWidget* parent = nullptr);
    void setMatrix(const QString& title, const QVector<QVector<qint64>>& m);

  protected:
    void paintEvent(QPaintEvent*) override;

  private:
    QString title_;
    QVector<QVector<qint64>> m_;
};

}  // namespace hgq::widgets
