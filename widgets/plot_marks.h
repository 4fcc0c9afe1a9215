// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QCPGraph;
class QCPItemText;
class QString;
class QCustomPlot;

namespace hgq::widgets {
// The ring that marks the selected point, the same on every scatter view: a graph of its own,
// no line, kept out of the legend. Callers fill it with the selected point's coordinates.
QCPGraph* add_selection_ring(QCustomPlot* plot);
// A grey note centred in the axis rect ("Select a point", "No points yet"): what an empty view
// says instead of empty axes. Callers show or hide it as their data comes and goes.
QCPItemText* add_centre_note(QCustomPlot* plot, const QString& text);
}  // namespace hgq::widgets
