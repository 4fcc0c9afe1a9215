// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/layer.h"

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace hgq {

RowVec Layer::output_bits(const RowVec& in_bits) {
    Quantizer* q = output_quantizer();
    if (!q) return in_bits;
    cached_group_bits_ = q->activation_bits();
    const int n = shape_size(out_shape_), G = q->groups();
    RowVec out(n);
    for (int e = 0; e < n; ++e) out[e] = cached_group_bits_[e % G];
    return out;
}

void Layer::output_bits_backward(const RowVec& d_out_bits, RowVec& d_in_bits) {
    Quantizer* q = output_quantizer();
    if (!q) {
        d_in_bits += d_out_bits;
        return;
    }
    const int G = q->groups();
    RowVec d_group = RowVec::Zero(G);
    for (int e = 0; e < d_out_bits.size(); ++e) d_group[e % G] += d_out_bits[e];
    q->bits_grad(d_group, cached_group_bits_);
}

void Layer::zero_grad() {
    for (const Param& p : params()) std::fill(p.grad, p.grad + p.size, Scalar(0));
}

void Layer::reset_registers() {
    for (Quantizer* q : quantizers()) q->reset_registers();
}

// Parameters by name as flat float arrays: what a checkpoint stores.
void Layer::to_json(nlohmann::json& j) const {
    auto* self = const_cast<Layer*>(this);  // params() hands out mutable views only
    for (const Param& p : self->params())
        j[p.name.substr(name_.size() + 1)] = std::vector<double>(p.value, p.value + p.size);
}

void Layer::from_json(const nlohmann::json& j) {
    for (const Param& p : params()) {
        const std::string key = p.name.substr(name_.size() + 1);
        if (!j.contains(key)) throw Error::bad_input(name_, "parameter '" + key + "' is missing");
        const auto v = j.at(key).get<std::vector<double>>();
        if (static_cast<int64_t>(v.size()) != p.size)
            throw Error::bad_input(name_ + "." + key, "expected " + std::to_string(p.size) +
                                                          " values, found " +
                                                          std::to_string(v.size()));
        for (int64_t e = 0; e < p.size; ++e) p.value[e] = static_cast<Scalar>(v[e]);
    }
    for (Quantizer* q : quantizers()) q->prepare();
}

}  // namespace hgq
