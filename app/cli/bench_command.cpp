// SPDX-License-Identifier: GPL-3.0-or-later
// hgq bench: training throughput of a reference model shape on synthetic data, against the
// machine's measured GEMM peak. A benchmark, never a test: no thresholds here.
#include <chrono>
#include <cstdio>

#include "cli_common.h"
#include "commands.h"
#include "core/error.h"
#include "core/gemm_peak.h"
#include "cost/exact.h"
#include "nn/kernels.h"
#include "nn/model.h"
#include "train/adam.h"

namespace hgq::cli {
namespace {

// The HGQ paper's jet tagger: 16 → 64 → 32 → 32 → 5, fused batch-norm, per-weight (spec §6).
ModelSpec jsc_spec() {
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

// The SVHN-style HGQ CNN of the paper on 28×28×1 input (resources/examples/fashion_mnist_cnn.json):
// conv 16/16/24 3×3 with 2×2 max-pools, dense 42 → 64 → 10, fused BN; per-weight kernels,
// per-layer activations (spec §6, SVHN column).
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
    x.resize(n, features);
    fill_uniform(x.data(), x.size(), 1.7f, 42);
    Mat teacher(features, classes);
    fill_uniform(teacher.data(), teacher.size(), 1.0f, 7);
    const Mat logits = x * teacher;
    y.resize(n);
    for (int64_t r = 0; r < n; ++r) {
        Eigen::Index arg;
        logits.row(r).maxCoeff(&arg);
        y[r] = int32_t(arg);
    }
}

}  // namespace

int run_bench(BenchArgs a) {
    if (a.model != "jsc" && a.model != "fmnist-cnn")
        throw Error::bad_input("--model", "unknown benchmark model '" + a.model + "'",
                               "available: jsc, fmnist-cnn");
    const bool cnn = a.model == "fmnist-cnn";
    if (a.batch == 0) a.batch = cnn ? 256 : 1024;
    if (a.batch < 1 || a.threads < 1)
        throw Error::bad_input("--batch/--threads", "must be at least 1");
    Model model(cnn ? fmnist_cnn_spec() : jsc_spec(), cnn ? Shape{28, 28, 1} : Shape{16},
                cnn ? 10 : 5, 1);
    Mat x;
    std::vector<int32_t> y;
    const int64_t n_batches = cnn ? 4 : 16;
    synthetic(n_batches * a.batch, cnn ? 784 : 16, cnn ? 10 : 5, x, y);
    model.prepare_training(x.topRows(a.batch));
    trace_minmax(model, x, a.batch, a.threads);
    Adam adam({5e-3, 0.9, 0.999, 1e-7});
    auto step = [&](int64_t b) {
        const Mat xb = x.middleRows(b * a.batch, a.batch);
        model.forward(xb, ForwardContext{true, true, a.threads, uint64_t(b)});
        model.loss(y.data() + b * a.batch, Scalar(1e-6), Scalar(2e-6), true, a.threads);
        adam.step(model.params(), 5e-3);
    };
    for (int64_t b = 0; b < 4; ++b) step(b);  // warm-up: caches, page faults, thread team
    int64_t steps = 0;
    const auto t0 = std::chrono::steady_clock::now();
    double elapsed = 0;
    while (elapsed < a.seconds) {
        step(steps % n_batches);
        ++steps;
        elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
    const double sps = double(steps) * a.batch / elapsed;
    const double flops = 3 * model.forward_flops();  // forward + two backward GEMMs per layer
    const double peak = measure_gemm_gflops(a.threads);
    const double ratio = sps * flops / 1e9 / peak;
    if (a.json) {
        emit_json({{"event", "bench"},
                   {"model", a.model},
                   {"batch", a.batch},
                   {"threads", a.threads},
                   {"samples_per_second", sps},
                   {"flops_per_sample", flops},
                   {"gflops", sps * flops / 1e9},
                   {"gemm_peak_gflops", peak},
                   {"ratio_to_peak", ratio},
                   {"steps", steps},
                   {"seconds", elapsed}});
        return 0;
    }
    std::printf("model %s, batch %d, %d thread(s), %lld steps in %.2f s\n", a.model.c_str(),
                a.batch, a.threads, (long long)steps, elapsed);
    std::printf("training throughput   %12.0f samples/s\n", sps);
    std::printf(
        "FLOPs per sample      %12.0f (3 x forward; batch-norm statistics and pooling not "
        "counted)\n",
        flops);
    std::printf("achieved              %12.2f GFLOP/s\n", sps * flops / 1e9);
    std::printf("measured GEMM peak    %12.2f GFLOP/s (float32 %dx%d, %d thread(s))\n", peak, 1024,
                1024, a.threads);
    std::printf("ratio to GEMM peak    %12.3f\n", ratio);
    return 0;
}

}  // namespace hgq::cli
