// SPDX-License-Identifier: GPL-3.0-or-later
// A sequential HGQ model: layers, the activations of the last forward, the loss
// CE + β·EBOPs + γ·ΣF (spec §2.5) and its gradient, and parameter snapshots.
#pragma once
#include <nlohmann/json.hpp>

#include "nn/layer.h"

namespace hgq {

class Conv;
class Pool;

// What one layer of a model is; the config's "model" list parses into these.
struct LayerSpec {
    std::string type;  // input_quantizer, dense, conv1d, conv2d, max/avgpool1d/2d, flatten
    int units = 0;     // dense units, conv filters
    bool batchnorm = false;
    bool relu = false;
    int kh = 1, kw = 1, sh = 1, sw = 1;  // conv kernel / pool window and strides
    bool same = false;                   // conv padding
    int parallel_factor = 0;             // conv: 0 = fully parallel
};

struct QuantSpec {
    Granularity granularity = Granularity::PerElement;
    Scalar init_bits = 2;
    Rounding rounding = Rounding::RND;
};

struct ModelSpec {
    std::vector<LayerSpec> layers;
    QuantSpec weights, activations{Granularity::PerElement, 2, Rounding::Auto};
};

struct LossTerms {
    double cross_entropy = 0, ebops = 0, beta_ebops = 0, gamma_sum_F = 0, total = 0;
    std::vector<double> ebops_per_layer;  // one entry per layer (0 for layers without a kernel)
};

class Model {
  public:
    // Builds and initialises a model for samples of `input_shape` and `n_classes` logits.
    Model(const ModelSpec& spec, const Shape& input_shape, int n_classes, uint64_t seed);

    const Mat& forward(const Mat& x, const ForwardContext& ctx);
    // After a forward: the loss terms; with `backward`, also every parameter gradient (the
    // gradients are zeroed first). `labels` has one class per row of the last input.
    LossTerms loss(const int32_t* labels, Scalar beta, Scalar gamma, bool backward, int threads);
    // Differentiable EBOPs of the current parameters and registers, per layer.
    std::vector<double> ebops_per_layer();

    std::vector<Param> params();
    std::vector<Quantizer*> quantizers();
    void zero_grad();
    void reset_registers();
    // Work before the first training batch: batch-norm kernels adapt F (spec §1.5).
    void prepare_training(const Mat& first_batch);

    nlohmann::json snapshot() const;  // parameters and batch-norm state, by layer name
    void restore(const nlohmann::json& snap);

    const Mat& logits() const { return acts_.back(); }
    const Mat& activation(int i) const { return acts_[i]; }  // 0: input, l+1: layer l's output
    std::vector<LayerPtr>& layers() { return layers_; }
    const ModelSpec& spec() const { return spec_; }
    int n_classes() const { return n_classes_; }
    const Shape& input_shape() const { return input_shape_; }
    // FLOPs of one forward pass (2 per multiply-add), for the benchmark.
    double forward_flops() const;
    // Training runs a convolution and a disjoint max pool after it as one layer (Conv::
    // forward_pooled): bit-identical, and the convolution's output is then not kept — its
    // activation() is empty after a training forward. On by default; tests compare both.
    void set_fused_pooling(bool on) { fuse_pooling_ = on; }

  private:
    std::vector<double> ebops_impl(Scalar beta, bool backward);
    void backward_layers(int threads);
    // Layer l as a convolution that the next layer, a disjoint max pool, fuses with; or null.
    Conv* pooled_conv(size_t l) const;
    Pool& pool_after(size_t l) const;

    ModelSpec spec_;
    Shape input_shape_;
    int n_classes_ = 0;
    std::vector<LayerPtr> layers_;
    std::vector<Mat> acts_;   // acts_[0] input, acts_[l+1] output of layer l
    std::vector<Mat> grads_;  // scratch for backward
    bool fuse_pooling_ = true;
    bool last_forward_fused_ = false;  // the last forward ran fused pairs (a training forward)
};

// Softmax cross-entropy from logits (N, C): mean over rows; dlogits (N, C) when non-null.
double cross_entropy(const Mat& logits, const int32_t* labels, Mat* dlogits, int threads = 1);

}  // namespace hgq
