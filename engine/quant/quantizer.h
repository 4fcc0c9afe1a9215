// SPDX-License-Identifier: GPL-3.0-or-later
// The HGQ fixed-point quantizer (spec §1–2). A quantizer owns one trainable float F per group of a
// tensor; nothing else is learned. Tensors are flat, row-major, channels-last, so element e
// belongs to group e % G for every granularity: per-element (G = n), per-channel (G = channels),
// per-layer (G = 1). A batch of activations (N, n) is the flat array of N·n elements.
#pragma once
#include <cstdint>
#include <random>

#include "core/types.h"
#include "quant/fixed.h"

namespace hgq {

// The exact fixed-point type of one group: ap_fixed<k+i+f, k+i> (ap_ufixed when k = 0).
struct FixedType {
    int k = 0, i = 0, f = 0;
    int bits() const { return k + i + f; }
};

class Quantizer {
  public:
    enum class Role { Weight, Activation };

    // `n` elements per sample (activations) or in the kernel (weights); `channels` is the last
    // axis. `relu_after`: a ReLU follows, so bits count only the positive range (k = 0).
    void build(Role role, int n, int channels, Granularity g, Rounding r, bool relu_after = false);

    int groups() const { return static_cast<int>(F.size()); }
    int elements() const { return n_; }
    // Elements of one sample/kernel sharing one F: the 1/sqrt(n) EBOPs-gradient scale (spec §2.3).
    int degeneracy() const { return n_ / groups(); }
    Rounding rounding() const { return rounding_; }
    bool relu_after() const { return relu_; }
    Role role() const { return role_; }

    // F <- clip(F, ±23) in place, and the per-group scales 2^round(F). Called once per forward.
    void prepare();
    const RowVec& scale() const { return scale_; }

    // q = R(x·2^f)·2^-f and err = x − q over `count` flat elements (count % G == 0). Training uses
    // the configured rounding; inference replaces stochastic by RND. `rng_seed` drives
    // stochastic rounding only.
    void quantize(const Scalar* x, Scalar* q, Scalar* err, int64_t count, bool training,
                  uint64_t rng_seed = 0) const;
    // An activation layer's whole output stage in one pass over each row of G values, while it
    // is in L1: q = R(z) into `y`, z − q over z in place, the min/max of q into `mn`/`mx` (when
    // `mn` is given) and then ReLU on y. The same values as quantize, accumulate_minmax and a
    // ReLU pass one after another; stochastic rounding in training takes exactly that path.
    void quantize_output(Scalar* z, Scalar* y, int64_t count, bool training, uint64_t rng_seed,
                         RowVec* mn, RowVec* mx, bool relu) const;
    // min/max registers <- running min/max of quantized values q over `count` elements.
    void record(const Scalar* q, int64_t count);
    void reset_registers();
    // Merges another quantizer's registers (per-thread partial registers).
    void merge_registers(const RowVec& mn, const RowVec& mx);
    const RowVec& reg_min() const { return min_; }
    const RowVec& reg_max() const { return max_; }

    // dF += ln2 · Σ dq ∘ err (the surrogate ∂q/∂F = ln2·(x − q), spec §2.2).
    void surrogate_grad(const Scalar* dq, const Scalar* err, int64_t count);
    // The same into a caller's (G) accumulator without ln2 (per-thread partial sums).
    void accumulate_surrogate(const Scalar* dq, const Scalar* err, int64_t count,
                              RowVec& acc) const;
    // min/max of `count` quantized values into caller's (G) accumulators.
    void accumulate_minmax(const Scalar* q, int64_t count, RowVec& mn, RowVec& mx) const;

    // Training-form activation bits per group from the registers: relu(i + f + k) (spec §1.3).
    RowVec activation_bits() const;
    // Training-form weight bits of each element of a quantized kernel (group max of int bits).
    void weight_bits(const Scalar* q, Scalar* bits) const;
    // dF += d(bits)/dF · g / sqrt(degeneracy · extra), where bits > 0; `group_grad` is per group
    // (G). `extra`: a convolution kernel's parallel factor (HGQ scales by it too, spec §2.3).
    void bits_grad(const RowVec& group_grad, const RowVec& group_bits, Scalar extra = 1);

    // Per-element initialisation of F (spec §1.5).
    void init_constant(Scalar init_bits);
    void init_from_weights(const Scalar* w, Scalar init_bits);  // F = init − log2|w|, group min

    // Bias quantization through this (output) quantizer: per channel, the F of the group with the
    // largest F among the channel's groups (spec §1.6). Returns that group per channel.
    std::vector<int> bias_groups() const;

    // Exact post-training type per group from the registers (spec §1.3 "exact form").
    std::vector<FixedType> exact_types() const;
    // The same from given ranges (e.g. the registers widened by a cover factor).
    std::vector<FixedType> exact_types(const RowVec& mn, const RowVec& mx) const;

    RowVec F;   // (G) fractional bits, trainable
    RowVec dF;  // (G) gradient of the loss

  private:
    Role role_ = Role::Activation;
    Rounding rounding_ = Rounding::RND;
    bool relu_ = false;
    int n_ = 1, channels_ = 1;
    RowVec scale_, inv_scale_;  // (G) 2^f and 2^-f
    RowVec min_, max_;          // (G) registers of quantized values
};

// Quantizes a per-channel vector (a bias) with the F of `groups[c]`; err = v − q.
void quantize_bias(const Quantizer& oq, const std::vector<int>& groups, const Scalar* v, Scalar* q,
                   Scalar* err);
// Surrogate gradient of a bias into the F of its groups.
void bias_surrogate_grad(Quantizer& oq, const std::vector<int>& groups, const Scalar* dq,
                         const Scalar* err);

}  // namespace hgq
