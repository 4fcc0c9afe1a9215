// SPDX-License-Identifier: GPL-3.0-or-later
// The Pareto plot's what-if marks: the live preview of an edit (a star joined to the point it
// edits) and the saved derived points, each joined to its parent by a dashed line, so a derived
// point is never mistaken for a trained one.
#include <qcustomplot.h>

#include "pareto_plot.h"

namespace hgq::widgets {
namespace {

const QColor kWhatIfColor(230, 120, 0);

QCPItemLine* dashed_link(QCustomPlot* plot, QPointF from, QPointF to, const QColor& color) {
    auto* line = new QCPItemLine(plot);
    line->setPen(QPen(color, 1.4, Qt::DashLine));
    line->start->setCoords(from);
    line->end->setCoords(to);
    line->setClipToAxisRect(true);
    line->setSelectable(false);
    return line;
}

}  // namespace

void ParetoPlot::setWhatIf(qint64 parent, double ebops, double test_accuracy) {
    whatif_parent_ = ebops > 0 ? parent : 0;
    whatif_ebops_ = ebops;
    whatif_acc_ = test_accuracy;
    updateWhatIf();
    if (!user_zoomed_) rescale();  // the star may lie outside the points' range: show it
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

QPointF ParetoPlot::whatIfPixel() const {
    if (!whatif_graph_ || whatif_graph_->dataCount() == 0) return {-1, -1};
    const auto it = whatif_graph_->data()->constBegin();
    return {plot_->xAxis->coordToPixel(it->key), plot_->yAxis->coordToPixel(it->value)};
}

void ParetoPlot::updateWhatIf() {
    for (QCPItemLine* l : derived_links_) plot_->removeItem(l);
    derived_links_.clear();
    if (!whatif_graph_) {  // rebuild() cleared the graphs
        whatif_graph_ = plot_->addGraph();
        whatif_graph_->setName(tr("what-if preview"));
        whatif_graph_->setLineStyle(QCPGraph::lsNone);
        whatif_graph_->setScatterStyle(
            QCPScatterStyle(QCPScatterStyle::ssStar, QPen(kWhatIfColor, 2.4), Qt::NoBrush, 16));
    }
    whatif_graph_->data()->clear();
    QHash<qint64, QPointF> at;  // drawn points by id
    for (int i : shown_)
        at.insert(points_[i].id, {x_of(points_[i], x_axis_), 100 * points_[i].test_accuracy});
    for (int i : shown_) {
        const PointView& p = points_[i];
        if (p.parent != 0 && at.contains(p.parent))
            derived_links_.push_back(
                dashed_link(plot_, at[p.parent], at[p.id], QColor(110, 110, 110)));
    }
    // The preview has exact EBOPs but no synthesis: it is drawn on the EBOPs axis only.
    if (whatif_parent_ != 0 && x_axis_ == XAxis::Ebops && at.contains(whatif_parent_)) {
        const QPointF star(whatif_ebops_, 100 * whatif_acc_);
        whatif_graph_->addData(star.x(), star.y());
        derived_links_.push_back(dashed_link(plot_, at[whatif_parent_], star, kWhatIfColor));
    }
}

}  // namespace hgq::widgets
