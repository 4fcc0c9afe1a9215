// SPDX-License-Identifier: GPL-3.0-or-later
// Products with at most 16 columns on both sides of the reduction, as a CNN's first convolution
// has (9 patch values → 16 filters): Eigen packs the 676-row operand of a chunk for every such
// product and runs its 48-row micro-kernel mostly empty, 3.5–4.5× slower than a broadcast-FMA
// loop that keeps the small operand in registers (676-row chunk: 3.5–4.9 µs against 1.05 µs for
// x·W; 4.1–5.7 µs against 1.05–2.0 µs for xᵀ·d). The same products, summed in another order.
#pragma once
#include <cstdint>

#include "core/types.h"

namespace hgq {

// Whether this build has the kernels (float32 and AVX-512) and they take a product whose
// reduction and output widths are k and n.
bool narrow_gemm_applies(int k, int n);
// c (rows, n) = [c +] row_init + a (rows, k) · b (k, n), all row-major and contiguous; row_init
// (n) may be null. k, n ≤ 16.
void narrow_product(const Scalar* a, int64_t rows, int k, const Scalar* b, int n,
                    const Scalar* row_init, bool add, Scalar* c);
// g (k, n) += aᵀ (k, rows) · d (rows, n), all row-major and contiguous. k, n ≤ 16.
void narrow_transposed_product(const Scalar* a, int64_t rows, int k, const Scalar* d, int n,
                               Scalar* g);

}  // namespace hgq
