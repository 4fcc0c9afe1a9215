// SPDX-License-Identifier: GPL-3.0-or-later
// "What if": bit edits on a deployed integer model, without retraining. Each edit names one tensor
// (a layer's weights, or its output activations; `input` is the input quantizer) and changes the
// exact types of its elements; the result is again a complete integer model, so its exact EBOPs,
// LUT estimate, adder levels and test accuracy follow from it exactly as for a trained point, and
// it exports and verifies like one.
//
// Weights are re-quantized from the float (fused) kernel the point was deployed from, with the
// kernel quantizer's rounding, at the new fractional bits — what HGQ's quantizer itself gives at
// those bits — rather than rounding the old codes a second time.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "deploy/deploy.h"
#include "nn/model.h"

namespace hgq {

struct TensorEdit {
    enum class Op {
        MaxBits,  // drop fractional bits until no element needs more than `value` bits; 0 prunes
        ShiftF,   // add (value > 0) or remove fractional bits everywhere in the tensor
        Prune,    // zero every weight of at most `value` bits
    } op = Op::MaxBits;
    std::string layer;     // as `hgq inspect` prints it; "input" for the input quantizer
    bool weights = true;   // false: the layer's output activations
    int value = 0;

    // The edit as the CLI spells it, e.g. "--max-bits dense1.weights=2".
    std::string text() const;
};

// Parses the argument of --max-bits ("LAYER.weights=K"), --shift-f ("LAYER.weights=±N") or
// --prune ("LAYER.weights<=K"); throws a bad-input Error naming the argument.
TensorEdit parse_edit(TensorEdit::Op op, const std::string& arg);

nlohmann::json to_json(const TensorEdit& e);
TensorEdit edit_from_json(const nlohmann::json& j);  // throws bad input on a malformed edit
nlohmann::json edits_json(const std::vector<TensorEdit>& edits);
std::vector<TensorEdit> edits_from_json(const nlohmann::json& j);

// The tensors an edit can name, as "layer.weights" / "layer.activations".
std::vector<std::string> editable_tensors(const IntegerModel& im);

// Throws a bad-input Error on the first edit that names no layer (listing the valid names), a
// tensor the layer does not have, or a negative bit count.
void check_edits(const IntegerModel& im, const std::vector<TensorEdit>& edits);

// A dense or conv layer's float fused kernel (in, out) as of the deployment, and the rounding its
// kernel quantizer applies at inference: what weight edits re-quantize.
struct FloatKernel {
    std::string layer;
    const Mat* fused = nullptr;
    Rounding rounding = Rounding::RND;
};
// The kernels of `model` (deployed: its fused kernels are the inference ones); read, not changed.
std::vector<FloatKernel> float_kernels(Model& model);

// The parent model with `edits` applied in order; `kernels` are those of the float model `parent`
// was deployed from.
IntegerModel apply_edits(const IntegerModel& parent, const std::vector<FloatKernel>& kernels,
                         const std::vector<TensorEdit>& edits);

}  // namespace hgq
