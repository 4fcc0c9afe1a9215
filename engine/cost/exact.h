// SPDX-License-Identifier: GPL-3.0-or-later
// Exact post-training bit-widths and EBOPs (spec §1.3 exact form, §3.3): activation types frozen
// from registers traced on calibration data, weight widths as MSB–LSB spans of the quantized
// kernel (trailing zeros are free).
#pragma once
#include <cstdint>
#include <vector>

#include "nn/model.h"

namespace hgq {

struct LayerExactBits {
    std::vector<FixedType> out_types;   // per output group of the layer's output quantizer
    std::vector<int> out_feature_bits;  // per output feature (group bits broadcast)
    std::vector<int> kernel_bits;       // (in·out) exact span bits of the quantized kernel
    int64_t ebops = 0;
};

// Resets the registers, runs an inference forward over `x` in batches recording them, and leaves
// the model's tensors as of that inference (Wq with the moving statistics).
void trace_minmax(Model& model, const Mat& x, int batch_size, int threads);

// Exact bits and EBOPs of every layer from the current registers and quantized kernels.
std::vector<LayerExactBits> exact_bits(Model& model);
int64_t exact_ebops(Model& model);

}  // namespace hgq
