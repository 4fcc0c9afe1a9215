// SPDX-License-Identifier: GPL-3.0-or-later
// A precomputed evaluation plan of the integer model's dense and conv layers: every output's
// accumulator scale and its non-zero terms with their alignment shifts, fixed once per run() since
// every element's fractional bits are static. Outputs whose worst-case sum fits 62 bits are
// summed in int64; the rest keep the 128-bit path. Same arithmetic, same codes, several times
// faster than re-deriving the alignment per sample.
#pragma once
#include <vector>

#include "deploy/integer_model.h"

namespace hgq {

struct IntTerm {
    int32_t idx;    // input element
    int32_t shift;  // left shift aligning the product to the accumulator's fractional bits
    int64_t w;      // weight code
};

struct IntOutputPlan {
    int acc_f = 0;               // accumulator fractional bits
    Wide bias = 0;               // bias code aligned to acc_f
    int32_t begin = 0, end = 0;  // its terms
    bool small = false;          // |sum| < 2^62 for every possible input: int64 is exact
    // |sum| < 2^53 in units of 2^-acc_f for every input: a double GEMM computes it exactly in
    // any summation order (every partial sum is an integer number of units below 2^53).
    bool exact53 = false;
};

struct IntLayerPlan {
    std::vector<IntOutputPlan> outputs;  // (positions · out), as the output elements
    std::vector<IntTerm> terms;
    // Every output exact53: the layer runs as one double GEMM per block of samples, with
    // `weights` (in, out) row-major the kernel's values code·2^-f (pruned: 0).
    bool gemm = false;
    std::vector<double> weights;
    std::vector<double> in_scale;  // (input elements) 2^-f of each input code
    std::vector<double> unit;      // (outputs) 2^acc_f: a sum's value times it is its integer
};

// Largest |code| of every element of every tensor (tensor 0 = input).
std::vector<std::vector<Wide>> code_bounds(const IntegerModel& im);

// One plan per layer (empty for pools and flatten).
std::vector<IntLayerPlan> make_plans(const IntegerModel& im);

}  // namespace hgq
