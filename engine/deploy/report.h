// SPDX-License-Identifier: GPL-3.0-or-later
// Per-layer figures of an integer model: exact EBOPs, LUT and latency estimates, bit histograms.
#pragma once
#include "deploy/deploy.h"

namespace hgq {

std::vector<LayerReport> layer_reports(const IntegerModel& im);
// Nonzero digits of m in canonical signed digits: the adders a constant multiplication costs.
int csd_digits(int64_t m);

}  // namespace hgq
