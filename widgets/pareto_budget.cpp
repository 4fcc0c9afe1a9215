// SPDX-License-Identifier: GPL-3.0-or-later
// The Pareto plot's budget: a vertical line at the limit, the infeasible side (costlier than the
// budget) shaded, a label, and the most accurate point that fits.
#include <qcustomplot.h>
#include <cmath>

#include "pareto_plot.h"

namespace hgq::widgets {

void ParetoPlot::setBudget(const BudgetView& budget) {
    budget_ = budget;
    if (!budget_line_) {
        // Behind the dots (the "background" layer is below the graphs' "main" layer), so the
        // points on the infeasible side stay readable and clickable.
        budget_shade_ = new QCPItemRect(plot_);
        budget_shade_->setLayer(QStringLiteral("background"));
        budget_shade_->setPen(Qt::NoPen);
        budget_shade_->setBrush(QColor(200, 60, 60, 28));
        budget_shade_->setClipToAxisRect(true);
        budget_line_ = new QCPItemStraightLine(plot_);
        budget_line_->setPen(QPen(QColor(190, 50, 50), 1.6, Qt::DashLine));
        budget_text_ = new QCPItemText(plot_);
        budget_text_->setColor(QColor(160, 40, 40));
        budget_text_->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
        budget_text_->setPadding(QMargins(4, 2, 6, 2));
        budget_text_->setBrush(QColor(255, 255, 255, 200));
        budget_text_->setClipToAxisRect(true);
    }
    updateBudgetItems();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

// Positions follow the axis: x in plot coordinates, y spanning the axis rect.
void ParetoPlot::updateBudgetItems() {
    if (!budget_line_) return;
    const double x = budget_x(budget_, x_axis_);
    const bool shown = budget_.active && x > 0;
    for (QCPAbstractItem* item : {static_cast<QCPAbstractItem*>(budget_line_),
                                  static_cast<QCPAbstractItem*>(budget_shade_),
                                  static_cast<QCPAbstractItem*>(budget_text_)})
        item->setVisible(shown);
    if (!shown) return;
    budget_line_->point1->setType(QCPItemPosition::ptPlotCoords);
    budget_line_->point1->setCoords(x, 0);
    budget_line_->point2->setType(QCPItemPosition::ptPlotCoords);
    budget_line_->point2->setCoords(x, 100);
    budget_shade_->topLeft->setTypeX(QCPItemPosition::ptPlotCoords);
    budget_shade_->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
    budget_shade_->topLeft->setCoords(x, 0);
    budget_shade_->bottomRight->setType(QCPItemPosition::ptAxisRectRatio);
    budget_shade_->bottomRight->setCoords(1, 1);
    budget_text_->position->setTypeX(QCPItemPosition::ptPlotCoords);
    budget_text_->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    budget_text_->position->setCoords(x, 0.985);
    budget_text_->setText(tr("budget: %1").arg(budget_.label));
}

qint64 ParetoPlot::bestUnderBudget() const {
    const double limit = budget_x(budget_, x_axis_);
    if (!budget_.active || !(limit > 0)) return 0;
    const PointView* best = nullptr;
    for (const PointView& p : points_) {
        const double x = x_of(p, x_axis_);
        if (p.provisional || !(x > 0) || x > limit || !std::isfinite(p.test_accuracy)) continue;
        if (!best || p.test_accuracy > best->test_accuracy ||
            (p.test_accuracy == best->test_accuracy &&
             (x < x_of(*best, x_axis_) || (x == x_of(*best, x_axis_) && p.id < best->id))))
            best = &p;
    }
    return best ? best->id : 0;
}

}  // namespace hgq::widgets
