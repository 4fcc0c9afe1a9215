// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/throughput_bench.h"

#include <algorithm>
#include <chrono>

#include "core/error.h"
#include "core/parallel.h"
#include "cost/exact.h"
#include "nn/conv.h"
#include "nn/kernels.h"
#include "nn/passive.h"
#include "train/adam.h"

namespace hgq {
namespace {

ModelSpec jsc_spec() {  // spec §6: fused batch-norm, per-weight
    ModelSpec s;
    s.layers = {{"input_quantizer"},
                {"dense", 64, true, true},
                {"dense", 32, true, true},
                {"dense", 32, true, true},
                {"dense", 5, true, false}};
    s.weights = {Granularity::PerElement, 2, Rounding::RND};
    s.activations = {Granularity::PerElement, 2, Rounding::Auto};
    return s;
}

// resources/examples/fashion_mnist_cnn.json: conv 16/16/24 3×3 with 2×2 max-pools, dense 42 →
// 64 → 10, fused BN; per-weight kernels, per-layer activations (spec §6, SVHN column).
ModelSpec fmnist_cnn_spec() {
    auto conv = [](int filters) {
        LayerSpec l{"conv2d", filters, true, true};
        l.kh = l.kw = 3;
        return l;
    };
    LayerSpec pool{"maxpool2d"};
    pool.kh = pool.kw = pool.sh = pool.sw = 2;
    ModelSpec s;
    s.layers = {{"input_quantizer"},
                conv(16),
                pool,
                conv(16),
                pool,
                conv(24),
                pool,
                {"flatten"},
                {"dense", 42, true, true},
                {"dense", 64, true, true},
                {"dense", 10, true, false}};
    s.weights = {Granularity::PerElement, 6, Rounding::RND};
    s.activations = {Granularity::PerLayer, 6, Rounding::Auto};
    return s;
}

// Gaussian-ish features, labels from a random linear teacher: learnable, like real data.
void synthetic(int64_t n, int features, int classes, Mat& x, std::vector<int32_t>& y) {
    x.resize(n, features);  // (n, features)
    fill_uniform(x.data(), x.size(), 1.7f, 42);
    Mat teacher(features, classes);  // (features, classes)
    fill_uniform(teacher.data(), teacher.size(), 1.0f, 7);
    const Mat logits = x * teacher;  // (n, classes)
    y.resize(n);
    for (int64_t r = 0; r < n; ++r) {
        Eigen::Index arg;
        logits.row(r).maxCoeff(&arg);
        y[r] = int32_t(arg);
    }
}

// Floats one fused-BN dense layer with P rows per sample, K inputs and M outputs streams per
// sample: forward reads x twice (statistics and output products) and writes z0, z−Q(z) and y,
// the quantizer reads z and writes y and the error; backward reads dy, y, the error and z0,
// writes dz and [dz | dz0], reads x and [dz | dz0] for dW and again for dx, and writes dx.
// The Gram path (K < M, nn/dense_gram.cpp) writes no z0 and no dz0: backward reads dy, y and
// the error, writes dz, reads x and dz for dW, x and dz again for dx, and writes dx.
double dense_floats(double P, double K, double M, bool bn, bool gram) {
    if (gram) return P * ((2 * K + 5 * M) + (4 * M + K + 2 * M + K + K));
    const double fwd = (bn ? 2 : 1) * K + (bn ? 1 : 0) * M + 5 * M;
    const double bwd = 4 * M + (bn ? 3 : 1) * M + K + 2 * (bn ? 2 : 1) * M + K;
    return P * (fwd + bwd);
}

// The same for a convolution fused with the disjoint max pool after it (Conv::forward_pooled):
// its (P, M) output streams give way to the pool's `pooled` elements — forward writes the pooled
// output, z − Q(z) at the argmax and the argmax; backward reads those and the pooled gradient
// (on the Gram path twice: dz is rebuilt for dx) — and the pool itself streams nothing.
double fused_conv_floats(double P, double K, double M, double pooled, bool bn, bool gram) {
    if (gram) return P * 5 * K + (3 + 4 + 3) * pooled;
    const double fwd = (bn ? 2 : 1) * K + (bn ? 1 : 0) * M;
    const double bwd = (bn ? 3 : 1) * M + K + 2 * (bn ? 2 : 1) * M + K;
    return P * (fwd + bwd) + (3 + 4) * pooled;
}

// GEMM FLOPs of one layer per sample: x·W, xᵀ·dz and dz·Wᵀ; batch-norm adds x·W with the float
// kernel and the dz0 halves of both backward products (12·K·M in all), or on the Gram path
// xᵀx and x·(W·diag(c)·Wᵀ) (6·K·M + 4·K²).
double layer_gemm_flops(double P, double K, double M, const Dense& d) {
    if (d.gram_statistics()) return P * (6 * K * M + 4 * K * K);
    return P * (d.batchnorm() ? 12 : 6) * K * M;
}

}  // namespace

ModelSpec bench_model_spec(const std::string& name) {
    if (name == "jsc") return jsc_spec();
    if (name == "fmnist-cnn") return fmnist_cnn_spec();
    throw Error::bad_input("--model", "unknown benchmark model '" + name + "'",
                           "available: jsc, fmnist-cnn");
}
Shape bench_input_shape(const std::string& name) {
    return name == "fmnist-cnn" ? Shape{28, 28, 1} : Shape{16};
}
int bench_classes(const std::string& name) {
    return name == "fmnist-cnn" ? 10 : 5;
}

StepCost step_cost(Model& model) {
    StepCost c;
    c.useful_flops = 3 * model.forward_flops();
    double floats = 0;
    const auto& layers = model.layers();
    bool pool_fused = false;  // the previous layer was a convolution fused with this pool
    for (size_t i = 0; i < layers.size(); ++i) {
        const Layer* l = layers[i].get();
        const double in = double(shape_size(l->input_shape()));
        const double out = double(shape_size(l->output_shape()));
        if (pool_fused) {
            pool_fused = false;
            continue;
        }
        if (auto* conv = dynamic_cast<const Conv*>(l)) {
            const double P = conv->geometry().positions(), K = conv->geometry().patch();
            const double M = double(conv->W.cols());
            c.gemm_flops += layer_gemm_flops(P, K, M, *conv);
            const auto* pool =
                i + 1 < layers.size() ? dynamic_cast<const Pool*>(layers[i + 1].get()) : nullptr;
            pool_fused = pool && pool->disjoint_max();  // as Model fuses in training
            floats += pool_fused
                          ? fused_conv_floats(P, K, M, double(shape_size(pool->output_shape())),
                                              conv->batchnorm(), conv->gram_statistics())
                          : dense_floats(P, K, M, conv->batchnorm(), conv->gram_statistics());
            floats += 2 * (in + P * K);  // im2col, col2im
        } else if (auto* d = dynamic_cast<const Dense*>(l)) {
            const double K = double(d->W.rows()), M = double(d->W.cols());
            c.gemm_flops += layer_gemm_flops(1, K, M, *d);
            floats += dense_floats(1, K, M, d->batchnorm(), d->gram_statistics());
        } else if (dynamic_cast<const Pool*>(l)) {
            floats += in + 2 * out + 2 * out + in;  // x in; y, argmax out; dy, argmax in; dx out
        } else {
            floats += 2 * in + 2 * out;  // input quantizer / flatten: one read and write each way
        }
    }
    c.bytes = floats * sizeof(Scalar);
    return c;
}

ThroughputResult measure_training_throughput(const std::string& name, int batch, int threads,
                                             double seconds) {
    ThroughputResult r;
    r.model = name;
    r.batch = batch;
    r.threads = threads;
    Model model(bench_model_spec(name), bench_input_shape(name), bench_classes(name), 1);
    Mat x;  // (n_batches·batch, features)
    std::vector<int32_t> y;
    const int64_t n_batches = std::max<int64_t>(2, std::min<int64_t>(16, (1 << 16) / batch));
    synthetic(n_batches * batch, int(shape_size(bench_input_shape(name))), bench_classes(name), x,
              y);
    model.prepare_training(x.topRows(batch));
    trace_minmax(model, x, batch, threads);
    Adam adam({5e-3, 0.9, 0.999, 1e-7});
    Mat xb(batch, x.cols());  // (batch, features), reused: the trainer's batches are copies too
    auto step = [&](int64_t b) {
        xb = x.middleRows(b * batch, batch);
        model.forward(xb, ForwardContext{true, true, threads, uint64_t(b)});
        model.loss(y.data() + b * batch, Scalar(1e-6), Scalar(2e-6), true, threads);
        adam.step(model.params(), 5e-3, threads);
    };
    for (int64_t b = 0; b < 4; ++b) step(b % n_batches);  // caches, page faults, thread team
    phase_clock::reset();
    phase_clock::enable(true);
    const auto t0 = std::chrono::steady_clock::now();
    while (r.seconds < seconds || r.steps < 3) {
        step(r.steps % n_batches);
        ++r.steps;
        r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
    phase_clock::enable(false);
    r.phase_seconds = phase_clock::seconds();
    r.samples_per_second = double(r.steps) * batch / r.seconds;
    r.cost = step_cost(model);
    return r;
}

double measure_memory_gbps(int threads) {
    const int64_t n = int64_t(1) << 24;  // 3 arrays × 64 MiB: far past any last-level cache
    std::vector<float> a(n), b(n, 1.0f), c(n, 2.0f);
    double best = 1e30;
    for (int rep = 0; rep < 5; ++rep) {
        const auto t0 = std::chrono::steady_clock::now();
        parallel_rows(n, threads, [&](RowBlock blk, int) {
            for (int64_t i = blk.begin; i < blk.end; ++i) a[i] = b[i] + 1.5f * c[i];
        });
        best = std::min(
            best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    volatile float sink = a[n / 2];  // the stores are observable: no compiler may drop them
    (void)sink;
    return 3.0 * double(n) * sizeof(float) / best / 1e9;
}

}  // namespace hgq
