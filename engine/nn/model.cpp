// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/model.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "core/error.h"
#include "core/parallel.h"
#include "core/phase_clock.h"
#include "nn/conv.h"
#include "nn/dense.h"
#include "nn/input_quantizer.h"
#include "nn/passive.h"

namespace hgq {

namespace {

bool is_one_d(const std::string& t) {
    return t == "conv1d" || t == "maxpool1d" || t == "avgpool1d";
}

LayerPtr make_layer(const LayerSpec& ls, const ModelSpec& spec, const Shape& shape, int index,
                    uint64_t seed) {
    const std::string where = "model[" + std::to_string(index) + "]";
    const std::string name = (ls.type == "input_quantizer" ? std::string("input") : ls.type) +
                             (ls.type == "input_quantizer" ? "" : std::to_string(index));
    DenseOptions o{ls.units,
                   ls.batchnorm,
                   ls.relu,
                   spec.weights.granularity,
                   spec.activations.granularity,
                   spec.weights.rounding,
                   spec.activations.rounding,
                   spec.weights.init_bits,
                   spec.activations.init_bits};
    const uint64_t layer_seed = seed * 1000003ULL + uint64_t(index);
    if (ls.type == "input_quantizer") {
        if (index != 0)
            throw Error::bad_input(where, "input_quantizer is only allowed as the first layer");
        return std::make_unique<InputQuantizer>(name, shape, spec.activations.granularity,
                                                spec.activations.rounding,
                                                spec.activations.init_bits);
    }
    if (ls.type == "dense") return std::make_unique<Dense>(name, shape_size(shape), o, layer_seed);
    if (ls.type == "conv1d" || ls.type == "conv2d") {
        ConvOptions c{ls.units,           ls.kh, ls.kw, ls.sh, ls.sw, ls.same, ls.parallel_factor,
                      ls.type == "conv1d"};
        return std::make_unique<Conv>(name, shape, c, o, layer_seed);
    }
    if (ls.type.find("pool") != std::string::npos)
        return std::make_unique<Pool>(name, shape, ls.type.starts_with("max"), ls.kh, ls.kw, ls.sh,
                                      ls.sw, is_one_d(ls.type));
    if (ls.type == "flatten") return std::make_unique<Flatten>(name, shape);
    throw Error::bad_input(where + ".layer", "unknown layer type '" + ls.type + "'");
}

// Bytes a layer's weights hold while training: the weight, its learnable fractional bits (per
// weight at the finest granularity), both gradients and both Adam moments, in Scalar. Counted
// in double, before anything is allocated, so an absurd layer is refused with a message rather
// than dying of bad_alloc halfway through construction.
double training_state_bytes(const LayerSpec& ls, const Shape& in) {
    double fan_in = 1;
    for (int d : in) fan_in *= d;
    double weights = 0;
    if (ls.type == "dense") weights = fan_in * ls.units;
    if (ls.type == "conv1d" || ls.type == "conv2d")
        weights = double(ls.kh) * ls.kw * (in.empty() ? 1 : in.back()) * ls.units;
    return weights * 6 * sizeof(Scalar);
}

double physical_memory_bytes() {
    const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGE_SIZE);
    return pages > 0 && page > 0 ? double(pages) * double(page) : 0;
}

void check_fits(double bytes, int index) {
    const double have = physical_memory_bytes();
    if (have <= 0 || bytes <= 0.8 * have) return;
    char msg[160];
    std::snprintf(msg, sizeof msg,
                  "the model up to this layer needs about %.3g GB for its weights and their "
                  "training state; this machine has %.3g GB",
                  bytes / 1e9, have / 1e9);
    throw Error::bad_input("model[" + std::to_string(index) + "]", msg,
                           "use fewer units or filters");
}

}  // namespace

Model::Model(const ModelSpec& spec, const Shape& input_shape, int n_classes, uint64_t seed)
    : spec_(spec), input_shape_(input_shape), n_classes_(n_classes) {
    if (spec.layers.empty() || spec.layers.front().type != "input_quantizer")
        throw Error::bad_input("model[0]", "the first layer must be an input_quantizer",
                               "HGQ quantizes the input so the first layer's EBOPs are defined");
    // Tabular data (F features) feeds a 1-D convolution as a length-F, 1-channel signal.
    for (const LayerSpec& ls : spec.layers)
        if (is_one_d(ls.type) && input_shape_.size() == 1) input_shape_ = {input_shape_[0], 1};
    Shape shape = input_shape_;
    int index = 0;
    double state_bytes = 0;
    for (const LayerSpec& ls : spec.layers) {
        state_bytes += training_state_bytes(ls, shape);
        check_fits(state_bytes, index);
        try {
            layers_.push_back(make_layer(ls, spec, shape, index, seed));
        } catch (const Error& e) {
            throw Error(e.kind(), "model[" + std::to_string(index) + "]", e.message(), e.hint());
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
    {
        PhaseScope phase(Phase::Layout);
        acts_[0] = x;
    }
    last_forward_fused_ = fuse_pooling_ && ctx.training;
    for (size_t l = 0; l < layers_.size(); ++l) {
        if (Conv* conv = last_forward_fused_ ? pooled_conv(l) : nullptr) {
            acts_[l + 1].resize(0, 0);  // never formed
            conv->forward_pooled(acts_[l], pool_after(l), acts_[l + 2], ctx);
            ++l;
            continue;
        }
        layers_[l]->forward(acts_[l], acts_[l + 1], ctx);
    }
    return acts_.back();
}

Conv* Model::pooled_conv(size_t l) const {
    if (l + 1 >= layers_.size()) return nullptr;
    auto* pool = dynamic_cast<Pool*>(layers_[l + 1].get());
    if (!pool || !pool->disjoint_max()) return nullptr;
    return dynamic_cast<Conv*>(layers_[l].get());
}

Pool& Model::pool_after(size_t l) const {
    return static_cast<Pool&>(*layers_[l + 1]);
}

// Plain loops over raw rows: a row has as many entries as classes (5 or 10), too short for
// Eigen's per-expression set-up to pay (the Eigen form spent 70 ns a row, 6 % of a jet-tagger
// step).
double cross_entropy(const Mat& logits, const int32_t* labels, Mat* dlogits, int threads) {
    const int64_t N = logits.rows(), C = logits.cols();
    if (dlogits) dlogits->resize(N, C);
    std::vector<double> partial(threads_for(N, threads), 0.0);
    parallel_rows(N, threads, [&](RowBlock blk, int t) {
        PhaseScope phase(Phase::Loss);
        double loss = 0;
        for (int64_t n = blk.begin; n < blk.end; ++n) {
            const Scalar* z = logits.data() + n * C;  // (C) logits of sample n
            Scalar mx = z[0];
            for (int64_t j = 1; j < C; ++j) mx = std::max(mx, z[j]);
            Scalar sum = 0;
            if (!dlogits) {
                for (int64_t j = 0; j < C; ++j) sum += std::exp(z[j] - mx);
                loss += double(std::log(sum) + mx - z[labels[n]]);
                continue;
            }
            // exp once, in place: softmax − one-hot, over N (the loss is a mean).
            Scalar* d = dlogits->data() + n * C;
            for (int64_t j = 0; j < C; ++j) sum += d[j] = std::exp(z[j] - mx);
            loss += double(std::log(sum) + mx - z[labels[n]]);
            const Scalar denom = sum * Scalar(N);
            for (int64_t j = 0; j < C; ++j) d[j] /= denom;
            d[labels[n]] -= Scalar(1) / Scalar(N);
        }
        partial[t] = loss;
    });
    double total = 0;
    for (double p : partial) total += p;
    return total / double(N);
}

LossTerms Model::loss(const int32_t* labels, Scalar beta, Scalar gamma, bool backward,
                      int threads) {
    if (backward) {
        PhaseScope phase(Phase::Optimizer);
        zero_grad();
    }
    LossTerms t;
    t.cross_entropy = cross_entropy(logits(), labels, backward ? &grads_.back() : nullptr, threads);
    PhaseScope phase(Phase::Bits);
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
    phase.pause();
    if (backward) backward_layers(threads);
    return t;
}

void Model::backward_layers(int threads) {
    for (size_t l = layers_.size(); l-- > 0;) {
        Conv* conv = last_forward_fused_ && l > 0 ? pooled_conv(l - 1) : nullptr;
        if (conv) {  // the pool (layer l) and its convolution (l − 1) as one
            --l;
            conv->backward_pooled(acts_[l], pool_after(l), acts_[l + 2], grads_[l + 2],
                                  l > 0 ? &grads_[l] : nullptr, threads);
            continue;
        }
        layers_[l]->backward(acts_[l], acts_[l + 1], grads_[l + 1], l > 0 ? &grads_[l] : nullptr,
                             threads);
    }
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

std::vector<double> Model::ebops_per_layer() {
    return ebops_impl(0, false);
}

}  // namespace hgq
