// SPDX-License-Identifier: GPL-3.0-or-later
// What-if edits as text and JSON, and their checks against a model's layers.
#include <charconv>

#include "core/error.h"
#include "deploy/whatif.h"

namespace hgq {
namespace {

const char* option_of(TensorEdit::Op op) {
    switch (op) {
        case TensorEdit::Op::MaxBits:
            return "--max-bits";
        case TensorEdit::Op::ShiftF:
            return "--shift-f";
        case TensorEdit::Op::Prune:
            return "--prune";
    }
    return "";
}

const char* op_name(TensorEdit::Op op) {
    switch (op) {
        case TensorEdit::Op::MaxBits:
            return "max_bits";
        case TensorEdit::Op::ShiftF:
            return "shift_f";
        case TensorEdit::Op::Prune:
            return "prune";
    }
    return "";
}

std::string usage(TensorEdit::Op op) {
    switch (op) {
        case TensorEdit::Op::MaxBits:
            return "write it as LAYER.weights=K or LAYER.activations=K";
        case TensorEdit::Op::ShiftF:
            return "write it as LAYER.weights=+N or LAYER.weights=-N";
        case TensorEdit::Op::Prune:
            return "write it as LAYER.weights<=K";
    }
    return "";
}

}  // namespace

std::string TensorEdit::text() const {
    std::string v = std::to_string(value);
    if (op == Op::ShiftF && value >= 0) v = "+" + v;
    return std::string(option_of(op)) + " " + layer + (weights ? ".weights" : ".activations") +
           (op == Op::Prune ? "<=" : "=") + v;
}

TensorEdit parse_edit(TensorEdit::Op op, const std::string& arg) {
    const std::string where = std::string(option_of(op)) + " " + arg;
    const std::string sep = op == TensorEdit::Op::Prune ? "<=" : "=";
    const size_t eq = op == TensorEdit::Op::Prune ? arg.find("<=") : arg.find('=');
    const size_t dot = eq == std::string::npos ? eq : arg.rfind('.', eq);
    if (eq == std::string::npos || dot == std::string::npos || dot == 0)
        throw Error::bad_input(where, "is not an edit", usage(op));
    TensorEdit e;
    e.op = op;
    e.layer = arg.substr(0, dot);
    const std::string tensor = arg.substr(dot + 1, eq - dot - 1);
    if (tensor != "weights" && tensor != "activations")
        throw Error::bad_input(where, "'" + tensor + "' is no tensor: weights or activations",
                               usage(op));
    e.weights = tensor == "weights";
    if (op == TensorEdit::Op::Prune && !e.weights)
        throw Error::bad_input(where, "only weights can be pruned by their bits",
                               "cap activations with --max-bits LAYER.activations=0");
    std::string num = arg.substr(eq + sep.size());
    if (!num.empty() && num[0] == '+') num = num.substr(1);
    const auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), e.value);
    if (num.empty() || ec != std::errc() || end != num.data() + num.size())
        throw Error::bad_input(
            where, "'" + arg.substr(eq + sep.size()) + "' is not a whole number of bits",
            usage(op));
    // A weight code has at most 62 bits; a shift beyond that empties or overflows every tensor.
    if (op == TensorEdit::Op::ShiftF && std::abs(e.value) > 62)
        throw Error::bad_input(where, "shifts by at most 62 bits", usage(op));
    if (op != TensorEdit::Op::ShiftF && e.value < 0)
        throw Error::bad_input(where, "a bit count cannot be negative", usage(op));
    return e;
}

nlohmann::json to_json(const TensorEdit& e) {
    return {{"op", op_name(e.op)},
            {"layer", e.layer},
            {"tensor", e.weights ? "weights" : "activations"},
            {"value", e.value},
            {"text", e.text()}};
}

TensorEdit edit_from_json(const nlohmann::json& j) {
    if (!j.is_object() || !j.contains("op") || !j.contains("layer") || !j.contains("tensor") ||
        !j.contains("value") || !j["value"].is_number_integer())
        throw Error::bad_input("edit " + j.dump(), "is not a what-if edit",
                               "the study's derived point is damaged; restore a copy");
    TensorEdit e;
    const std::string op = j["op"].get<std::string>();
    if (op == "max_bits")
        e.op = TensorEdit::Op::MaxBits;
    else if (op == "shift_f")
        e.op = TensorEdit::Op::ShiftF;
    else if (op == "prune")
        e.op = TensorEdit::Op::Prune;
    else
        throw Error::bad_input("edit " + j.dump(), "has an unknown op '" + op + "'");
    e.layer = j["layer"].get<std::string>();
    e.weights = j["tensor"].get<std::string>() == "weights";
    e.value = j["value"].get<int>();
    return e;
}

nlohmann::json edits_json(const std::vector<TensorEdit>& edits) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& e : edits) a.push_back(to_json(e));
    return a;
}

std::vector<TensorEdit> edits_from_json(const nlohmann::json& j) {
    std::vector<TensorEdit> out;
    if (j.is_array())
        for (const auto& e : j) out.push_back(edit_from_json(e));
    return out;
}

std::vector<std::string> editable_tensors(const IntegerModel& im) {
    std::vector<std::string> out = {"input.activations"};
    for (const IntLayer& d : im.layers)
        if (d.kind == IntLayer::Kind::Dense || d.kind == IntLayer::Kind::Conv) {
            out.push_back(d.name + ".weights");
            out.push_back(d.name + ".activations");
        }
    return out;
}

void check_edits(const IntegerModel& im, const std::vector<TensorEdit>& edits) {
    const auto tensors = editable_tensors(im);
    std::string names;
    for (const auto& t : tensors) names += (names.empty() ? "" : ", ") + t;
    for (const TensorEdit& e : edits) {
        bool layer_known = e.layer == "input";
        for (const IntLayer& d : im.layers) layer_known |= d.name == e.layer;
        const std::string tensor = e.layer + (e.weights ? ".weights" : ".activations");
        if (!layer_known)
            throw Error::bad_input(e.text(), "the model has no layer '" + e.layer + "'",
                                   "editable tensors: " + names);
        bool found = false;
        for (const auto& t : tensors) found |= t == tensor;
        if (!found)
            throw Error::bad_input(e.text(),
                                   "layer '" + e.layer + "' has no tensor '" +
                                       (e.weights ? "weights" : "activations") + "'",
                                   "editable tensors: " + names);
        if (e.op != TensorEdit::Op::ShiftF && e.value < 0)
            throw Error::bad_input(e.text(), "a bit count cannot be negative");
    }
}

}  // namespace hgq
