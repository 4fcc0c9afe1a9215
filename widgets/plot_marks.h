// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QCPGraph;
class QCustomPlot;

namespace hgq::ui {
// The ring that marks the selected point, the same on every scatter view: a graph of its own,
// no line, kept out of the legend. Callers fill it with the selected point's coordinates.
QCPGraph* add_selection_ring(QCustomPlot* plot);
}  // namespace hgq::ui
