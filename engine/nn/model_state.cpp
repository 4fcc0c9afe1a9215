// SPDX-License-Identifier: GPL-3.0-or-later
// Model bookkeeping: parameter lists, registers, snapshots, FLOP counts.
#include "core/error.h"
#include "nn/conv.h"
#include "nn/model.h"

namespace hgq {

std::vector<Param> Model::params() {
    std::vector<Param> all;
    for (auto& l : layers_)
        for (const Param& p : l->params()) all.push_back(p);
    return all;
}

std::vector<Quantizer*> Model::quantizers() {
    std::vector<Quantizer*> all;
    for (auto& l : layers_)
        for (Quantizer* q : l->quantizers()) all.push_back(q);
    return all;
}

void Model::zero_grad() {
    for (auto& l : layers_) l->zero_grad();
}

void Model::reset_registers() {
    for (auto& l : layers_) l->reset_registers();
}

void Model::prepare_training(const Mat& first_batch) {
    Mat x = first_batch, y;
    ForwardContext ctx;
    for (auto& l : layers_) {
        l->on_first_batch(x);
        l->forward(x, y, ctx);
        x.swap(y);
    }
}

nlohmann::json Model::snapshot() const {
    nlohmann::json snap = nlohmann::json::object();
    for (const auto& l : layers_) l->to_json(snap[l->name()]);
    return snap;
}

void Model::restore(const nlohmann::json& snap) {
    for (auto& l : layers_) {
        if (!snap.contains(l->name()))
            throw Error::bad_input("snapshot", "layer '" + l->name() + "' is missing",
                                   "the snapshot was taken from a different model");
        l->from_json(snap.at(l->name()));
    }
}

double Model::forward_flops() const {
    double flops = 0;
    for (const auto& l : layers_) {
        if (auto* c = dynamic_cast<const Conv*>(l.get()))
            flops += 2.0 * c->geometry().positions() * c->geometry().patch() * c->W.cols();
        else if (auto* d = dynamic_cast<const Dense*>(l.get()))
            flops += 2.0 * double(d->W.rows()) * double(d->W.cols());
    }
    return flops;
}

}  // namespace hgq
