// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/model.h"

#include <cmath>

#include "core/error.h"
#include "core/parallel.h"
#include "nn/dense.h"
#include "nn/input_quantizer.h"

namespace hgq {

Model::Model(const ModelSpec& spec, const Shape& input_shape, int n_classes, uint64_t seed)
    : spec_(spec), input_shape_(input_shape), n_classes_(n_classes) {
    if (spec.layers.empty() || spec.layers.front().type != "input_quantizer")
        throw Error::bad_input("model[0]", "the first layer must be an input_quantizer",
                               "HGQ quantizes the input so the first layer's EBOPs are defined");
    Shape shape = input_shape;
    int index = 0;
    for (const LayerSpec& ls : spec.layers) {
        const std::string name = ls.type == "input_quantizer" ? "input" : "dense" + std::to_string(index);
        if (ls.type == "input_quantizer") {
            if (index != 0)
                throw Error::bad_input("model[" + std::to_string(index) + "]",
                                       "input_quantizer is only allowed as the first layer");
            layers_.push_back(std::make_unique<InputQuantizer>(
                name, shape, spec.activations.granularity, spec.activations.rounding,
                spec.activations.init_bits));
        } else if (ls.type == "dense") {
            DenseOptions o{ls.units, ls.batchnorm, ls.relu, spec.weights.granularity,
                           spec.activations.granularity, spec.weights.rounding,
                           spec.activations.rounding, spec.weights.init_bits,
                           spec.activations.init_bits};
            layers_.push_back(std::make_unique<Dense>(name, shape_size(shape), o,
                                                      seed * 1000003ULL + uint64_t(index)));
        } else {
            throw Error::bad_input("model[" + std::to_string(index) + "].layer",
                                   "unknown layer type '" + ls.type + "'",
                                   "use input_quantizer or dense");
        }
        shape = layers_.back()->output_shape();
        ++index;
    }
    if (shape_size(shape) != n_classes)
        throw Error::bad_input("model[" + std::to_string(index - 1) + "].units",
                               "the last layer has " + std::to_string(shape_size(shape)) +
                                   " outputs but the data has " + std::to_string(n_classes) +
                                   " classes",
                               "set the last dense layer's units to the number of classes");
    acts_.resize(layers_.size() + 1);
    grads_.resize(layers_.size() + 1);
}

const Mat& Model::forward(const Mat& x, const ForwardContext& ctx) {
    acts_[0] = x;
    for (size_t l = 0; l < layers_.size(); ++l) layers_[l]->forward(acts_[l], acts_[l + 1], ctx);
    return acts_.back();
}

double cross_entropy(const Mat& logits, const int32_t* labels, Mat* dlogits, int threads) {
    const int64_t N = logits.rows();
    if (dlogits) dlogits->resize(N, logits.cols());
    std::vector<double> partial(threads_for(N, threads), 0.0);
    parallel_rows(N, threads, [&](RowBlock blk, int t) {
        for (int64_t n = blk.begin; n < blk.end; ++n) {
            const auto row = logits.row(n);
            const Scalar mx = row.maxCoeff();
            if (!dlogits) {
                partial[t] += double(std::log((row.array() - mx).exp().sum()) + mx - row[labels[n]]);
                continue;
            }
            // exp once, in place: softmax − one-hot, over N (the loss is a mean).
            auto d = dlogits->row(n);
            d = (row.array() - mx).exp().matrix();
            const Scalar sum = d.sum();
            partial[t] += double(std::log(sum) + mx - row[labels[n]]);
            d /= sum * Scalar(N);
            d[labels[n]] -= Scalar(1) / Scalar(N);
        }
    });
    double total = 0;
    for (double p : partial) total += p;
    return total / double(N);
}

LossTerms Model::loss(const int32_t* labels, Scalar beta, Scalar gamma, bool backward, int threads) {
    if (backward) zero_grad();
    LossTerms t;
    t.cross_entropy = cross_entropy(logits(), labels, backward ? &grads_.back() : nullptr, threads);
    t.ebops_per_layer = ebops_impl(beta, backward);
    for (double e : t.ebops_per_layer) t.ebops += e;
    t.beta_ebops = double(beta) * t.ebops;
    double sum_F = 0;
    for (const Param& p : params()) {
        if (!p.is_F) continue;
        for (int64_t e = 0; e < p.size; ++e) sum_F += p.value[e];
        if (backward)
            for (int64_t e = 0; e < p.size; ++e) p.grad[e] += gamma;
    }
    t.gamma_sum_F = double(gamma) * sum_F;
    t.total = t.cross_entropy + t.beta_ebops + t.gamma_sum_F;
    if (backward)
        for (size_t l = layers_.size(); l-- > 0;)
            layers_[l]->backward(acts_[l], acts_[l + 1], grads_[l + 1], l > 0 ? &grads_[l] : nullptr,
                                 threads);
    return t;
}

// Bits flow forward through the layers; EBOPs gradients flow back into kernel F and, through the
// bit maps, into the F of the quantizer that produced each layer's input bits.
std::vector<double> Model::ebops_impl(Scalar beta, bool backward) {
    const size_t L = layers_.size();
    std::vector<RowVec> bits(L + 1);
    bits[0] = RowVec::Zero(shape_size(input_shape_));  // raw input: no quantizer yet
    std::vector<double> per_layer(L, 0.0);
    for (size_t l = 0; l < L; ++l) {
        per_layer[l] = layers_[l]->ebops(bits[l]);
        bits[l + 1] = layers_[l]->output_bits(bits[l]);
    }
    if (!backward) return per_layer;
    std::vector<RowVec> d_bits(L + 1);
    for (size_t l = 0; l <= L; ++l) d_bits[l] = RowVec::Zero(bits[l].size());
    for (size_t l = L; l-- > 0;) {
        layers_[l]->ebops_backward(beta, bits[l], d_bits[l]);
        layers_[l]->output_bits_backward(d_bits[l + 1], d_bits[l]);
    }
    return per_layer;
}

std::vector<double> Model::ebops_per_layer() { return ebops_impl(0, false); }

}  // namespace hgq
