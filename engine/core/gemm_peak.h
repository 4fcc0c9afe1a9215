// SPDX-License-Identifier: GPL-3.0-or-later
// The machine's measured float GEMM throughput: the roofline that training speed is reported
// against (design §7).
#pragma once

namespace hgq {

// Best-of-several GFLOP/s of a square float32 GEMM of size n, split over `threads` row blocks.
double measure_gemm_gflops(int threads, int n = 1024, int repeats = 5);

}  // namespace hgq
