// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QCPAxis;

namespace hgq::widgets {
// A log axis whose ticker follows its range: decades (10⁴-style labels) over wide ranges, plain
// evenly spaced numbers when less than ~1.5 decades are shown — where a log ticker would print
// one label ("2·10⁴") several times.
void use_adaptive_log_ticks(QCPAxis* axis);
}  // namespace hgq::widgets
