// SPDX-License-Identifier: GPL-3.0-or-later
#include "plot_marks.h"

#include <qcustomplot.h>

namespace hgq::widgets {

QCPGraph* add_selection_ring(QCustomPlot* plot) {
    QCPGraph* ring = plot->addGraph();
    ring->setLineStyle(QCPGraph::lsNone);
    ring->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::black, 2.2), Qt::NoBrush, 17));
    ring->removeFromLegend();
    return ring;
}

QCPItemText* add_centre_note(QCustomPlot* plot, const QString& text) {
    auto* note = new QCPItemText(plot);
    note->position->setType(QCPItemPosition::ptAxisRectRatio);
    note->position->setCoords(0.5, 0.5);
    note->setText(text);
    note->setColor(QColor(120, 120, 120));
    return note;
}

}  // namespace hgq::widgets
