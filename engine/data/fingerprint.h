// SPDX-License-Identifier: GPL-3.0-or-later
// A run's data, in 16 hex digits: changes with any value, label, split or shape. The study keeps
// it per run, so a resume or an export on data that changed since the run trained is refused.
#pragma once
#include <string>

#include "data/dataset.h"

namespace hgq {

// Fingerprint of the three splits' values, labels and shapes. Taken before standardisation:
// the raw values are the same bits on every machine, standardised ones may differ in the last
// bit where another CPU sums in another order.
std::string data_fingerprint(const Splits& s);

}  // namespace hgq
