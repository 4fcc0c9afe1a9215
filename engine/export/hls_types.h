// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to the HLS writer: each tensor's container type (the smallest ap_[u]fixed holding every
// element's exact type), which elements are constant zero (pruned), and CSD digits of weights.
#pragma once
#include <string>
#include <vector>

#include "deploy/integer_model.h"

namespace hgq::hls {

struct Container {
    int W = 1, I = 1;  // W = I + F
    bool is_signed = true;
    int F() const { return W - I; }
    std::string type() const;  // "ap_fixed<W,I>" / "ap_ufixed<W,I>"
    int64_t max_abs_code() const;
};

struct Tensor {
    Container c;
    std::vector<bool> zero;  // per element: always 0 (pruned)
};

// Tensor 0 is the input; tensor l + 1 the output of layer l.
std::vector<Tensor> tensors(const IntegerModel& im);

// Non-adjacent form: value = Σ sign·2^shift over the returned digits.
struct Digit {
    int sign, shift;
};
std::vector<Digit> csd(int64_t code);

// An exact C++ literal of code·2^-f (a double holds it exactly when |code| < 2^53).
std::string exact_literal(int64_t code, int f);

}  // namespace hgq::hls
