// SPDX-License-Identifier: GPL-3.0-or-later
// The bit-exact integer model of a deployed HGQ network: what the exported firmware computes.
// Every tensor is integer codes with per-element fractional bits; products and sums are exact
// (128-bit), and each quantization point applies the ap_fixed rules (fixed_point.h). The only
// floating point is the exact conversion of the raw input into the input quantizer's codes.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/types.h"
#include "deploy/fixed_point.h"
#include "nn/conv_geometry.h"

namespace hgq {

// One layer of the integer model, of any kind. Dense (and Conv, a dense over im2col patches):
// out = Q_out(relu?(Σ_i x_i·w_ij + b_j)) with fused batch-norm. MaxPool, AvgPool and Flatten are
// exact and carry their inputs' fractional bits (average pooling adds log2 of the window).
struct IntLayer {
    enum class Kind { Dense, Conv, MaxPool, AvgPool, Flatten } kind = Kind::Dense;
    WindowGeometry geom;  // Conv / pools
    std::string name;
    int in = 0, out = 0;  // dense: features; conv: patch K and filters; pools: output elements
    bool relu = false;
    std::vector<int64_t> w_code;  // (in·out) row-major mantissas of the quantized fused kernel
    std::vector<int> w_f;  // (in·out) their fractional bits (round(F) of the weight's group)
    std::vector<int64_t>
        b_code;            // (out) bias mantissas (pre-shifted by half an output LSB for RND)
    std::vector<int> b_f;  // (out) their fractional bits
    std::vector<FixedFormat> out_fmt;  // (elements) the output quantizer's type per element
    std::vector<int> pool_f;  // pools/flatten: (elements) fractional bits of each output code
    std::vector<int32_t>
        patch_index;               // conv: (P·K) input element of each patch entry, −1 = padding
    int elements = 0;              // output elements per sample
    int parallel_factor = 1;       // conv: kernel instances (EBOPs scale pf / positions)
    bool bias_preshifted = false;  // RND folded into the bias; out_fmt then truncates (TRN)
};

// Per-layer codes of one batch: codes[l] is (N, width of layer l); layer 0 is the input quantizer.
struct IntTrace {
    std::vector<std::vector<int64_t>> codes;
    std::vector<int64_t> overflows;        // per layer: elements that wrapped / saturated
    std::vector<uint8_t> sample_overflow;  // (N) 1 where any element of the sample overflowed
};

struct IntLayerPlan;  // integer_plan.h

class IntegerModel {
  public:
    std::vector<FixedFormat> input_fmt;  // (features) the input quantizer's type per feature
    std::vector<IntLayer> layers;

    // Codes of every layer for every row of x (N, features); threads over rows.
    // Dense and conv layers whose sums provably stay below 2^53 units run as double GEMMs over
    // blocks of samples (exact: see IntOutputPlan::exact53); `batched` false runs every layer
    // sample by sample in integers, the reference the tests compare the GEMM path with.
    IntTrace run(const Mat& x, int threads, bool batched = true) const;
    // argmax of the logit codes (compared as exact values) per row.
    std::vector<int32_t> predict(const Mat& x, int threads) const;
    std::vector<int32_t> argmax(const IntTrace& t) const;
    // The fractional bits of layer l's codes, per element (l = 0: input).
    std::vector<int> code_f(int l) const;

  private:
    // Returns whether any element overflowed.
    bool run_sample(const Scalar* x, std::vector<std::vector<int64_t>*>& out, int64_t row,
                    std::vector<int64_t>& overflows, const std::vector<IntLayerPlan>& plans) const;
    // Rows [r0, r1) of x through every layer into t (its codes sized for all rows).
    void run_block(const Mat& x, int64_t r0, int64_t r1, IntTrace& t,
                   std::vector<int64_t>& overflows, const std::vector<IntLayerPlan>& plans) const;
    void pool_outputs(const IntLayer& d, const std::vector<int64_t>& cur,
                      const std::vector<int>& cur_f, std::vector<int64_t>& next) const;

  public:
    // Width of layer l's output per sample (l = 0: input).
    int width(int l) const;
};

// The fractional bits of a pooling or flatten layer's output codes from those of its input:
// max pooling the window's largest, average pooling that plus log2 of the window, flatten its
// input's. `d` holds the kind, geometry and element count.
std::vector<int> passive_out_f(const IntLayer& d, const std::vector<int>& in_f);

}  // namespace hgq
