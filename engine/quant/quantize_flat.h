// SPDX-License-Identifier: GPL-3.0-or-later
// A per-layer (one-group) activation quantizer's whole output stage in one pass over a chunk.
#pragma once
#include <cstdint>

#include "core/types.h"

namespace hgq {

// q = ⌊z·s + half⌋·inv into y, z − q back into z, the running min/max of q into *mn / *mx (when
// mn is not null), then ReLU on y. The same values as the three Eigen passes it replaces (s and
// inv are powers of two, so z·s and ⌊·⌋·inv are exact whether or not a multiply-add is fused).
void quantize_flat(Scalar* __restrict z, Scalar* __restrict y, int64_t n, Scalar s, Scalar inv,
                   Scalar half, bool relu, Scalar* __restrict mn, Scalar* __restrict mx);

}  // namespace hgq
