// SPDX-License-Identifier: GPL-3.0-or-later
// Per-layer figures of an integer model: exact EBOPs, LUT and latency estimates, bit histograms.
#pragma once
#include "deploy/deploy.h"

namespace hgq {

std::vector<LayerReport> layer_reports(const IntegerModel& im);
// Bits of a weight code from its highest to its lowest set bit (0: pruned): the weight's bit
// width in EBOPs and in the bit histograms.
int span_bits(int64_t code);
// Mean and largest bit width of a histogram (count per width 0, 1, 2, ...); 0 when empty.
double mean_bits(const std::vector<int64_t>& hist);
int max_bits(const std::vector<int64_t>& hist);
// Nonzero digits of m in canonical signed digits: the adders a constant multiplication costs.
int csd_digits(int64_t m);

}  // namespace hgq
