// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>

namespace hgq::gui {
// examples/ and data/: $HGQ_RESOURCES, then <exe>/../share/hgq-studio, then the source tree.
QString resources_dir();
}  // namespace hgq::gui
