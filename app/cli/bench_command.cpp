// SPDX-License-Identifier: GPL-3.0-or-later
// hgq bench: training throughput of a reference model shape on synthetic data, where the step's
// time goes, and which roof binds (the measured GEMM peak or the measured memory bandwidth).
// A benchmark, never a test: no thresholds here.
#include <cstdio>

#include "cli_common.h"
#include "commands.h"
#include "core/error.h"
#include "core/gemm_peak.h"
#include "train/throughput_bench.h"

namespace hgq::cli {
namespace {

struct Roofs {
    double gemm_gflops = 0, memory_gbps = 0;
};

// The roof a run sits under: the time the GEMM FLOPs need at the GEMM peak, or the time its
// activation bytes need at the memory bandwidth, whichever is longer.
struct RoofUse {
    bool memory_bound = false;
    double fraction = 0;  // achieved speed ÷ that roof's speed
};
RoofUse roof_use(const ThroughputResult& r, const Roofs& roofs) {
    const double t_gemm = r.cost.gemm_flops / (roofs.gemm_gflops * 1e9);
    const double t_mem = r.cost.bytes / (roofs.memory_gbps * 1e9);
    return {t_mem > t_gemm, std::max(t_gemm, t_mem) * r.samples_per_second};
}

nlohmann::json to_json(const ThroughputResult& r, const Roofs& roofs) {
    const RoofUse use = roof_use(r, roofs);
    nlohmann::json phases = nlohmann::json::object();
    double timed = 0;
    for (size_t p = 0; p < r.phase_seconds.size(); ++p) {
        phases[phase_name(Phase(p))] = r.phase_seconds[p] / r.seconds;
        timed += r.phase_seconds[p];
    }
    phases["other (fork/join, waits)"] = std::max(0.0, 1 - timed / r.seconds);
    return {{"event", "bench"},
            {"model", r.model},
            {"batch", r.batch},
            {"threads", r.threads},
            {"samples_per_second", r.samples_per_second},
            {"flops_per_sample", r.cost.useful_flops},
            {"gemm_flops_per_sample", r.cost.gemm_flops},
            {"bytes_per_sample", r.cost.bytes},
            {"gflops", r.samples_per_second * r.cost.useful_flops / 1e9},
            {"gemm_gflops", r.samples_per_second * r.cost.gemm_flops / 1e9},
            {"gemm_peak_gflops", roofs.gemm_gflops},
            {"memory_gbps", roofs.memory_gbps},
            {"ratio_to_peak", r.samples_per_second * r.cost.useful_flops / 1e9 / roofs.gemm_gflops},
            {"ratio_to_peak_executed",
             r.samples_per_second * r.cost.gemm_flops / 1e9 / roofs.gemm_gflops},
            {"binding_roof", use.memory_bound ? "memory" : "gemm"},
            {"fraction_of_roof", use.fraction},
            {"phases", phases},
            {"steps", r.steps},
            {"seconds", r.seconds}};
}

void print_breakdown(const ThroughputResult& r, const Roofs& roofs) {
    const RoofUse use = roof_use(r, roofs);
    const double ms = 1e3 * r.seconds / double(r.steps);
    std::printf("model %s, batch %d, %d thread(s), %lld steps in %.2f s (%.3f ms a step)\n",
                r.model.c_str(), r.batch, r.threads, (long long)r.steps, r.seconds, ms);
    std::printf("training throughput   %12.0f samples/s\n", r.samples_per_second);
    std::printf("where a step goes (thread 0's timeline):\n");
    double timed = 0;
    for (size_t p = 0; p < r.phase_seconds.size(); ++p) {
        timed += r.phase_seconds[p];
        std::printf("  %-30s %6.1f %%  %8.3f ms\n", phase_name(Phase(p)),
                    100 * r.phase_seconds[p] / r.seconds, 1e3 * r.phase_seconds[p] / r.steps);
    }
    const double other = std::max(0.0, r.seconds - timed);
    std::printf("  %-30s %6.1f %%  %8.3f ms\n", "other (fork/join, waits)", 100 * other / r.seconds,
                1e3 * other / r.steps);
    const double useful = r.samples_per_second * r.cost.useful_flops / 1e9;
    const double executed = r.samples_per_second * r.cost.gemm_flops / 1e9;
    std::printf("FLOPs per sample      %12.0f (3 x forward: the forward and two backward products)\n",
                r.cost.useful_flops);
    std::printf("GEMM FLOPs executed   %12.0f per sample (with the batch statistics' products)\n",
                r.cost.gemm_flops);
    std::printf("bytes per sample      %12.0f (activation tensors streamed, model estimate)\n",
                r.cost.bytes);
    std::printf("achieved              %12.2f GFLOP/s (%.2f GFLOP/s executed), %.2f GB/s\n", useful,
                executed, r.samples_per_second * r.cost.bytes / 1e9);
    std::printf("measured GEMM peak    %12.2f GFLOP/s (float32 1024x1024, %d thread(s))\n",
                roofs.gemm_gflops, r.threads);
    std::printf("measured memory       %12.2f GB/s (triad, %d thread(s))\n", roofs.memory_gbps,
                r.threads);
    std::printf("ratio to GEMM peak    %12.3f (%.3f executed)\n", useful / roofs.gemm_gflops,
                executed / roofs.gemm_gflops);
    std::printf("binding roof          %12s (%.3f of it)\n", use.memory_bound ? "memory" : "GEMM",
                use.fraction);
}

std::vector<int> default_curve(const std::string& model) {
    if (model == "fmnist-cnn") return {128, 256, 1024};
    return {256, 1024, 4096, 33200};  // 33,200: HGQ's full-batch jet recipe
}

}  // namespace

int run_bench(BenchArgs a) {
    bench_model_spec(a.model);  // rejects an unknown model before any measurement
    std::vector<int> batches = a.batches;
    if (a.curve) batches = default_curve(a.model);
    if (batches.empty()) batches = {a.model == "fmnist-cnn" ? 256 : 1024};
    std::vector<int> threads = a.threads.empty() ? std::vector<int>{2} : a.threads;
    if (a.curve && a.threads.empty()) threads = {1, 2};
    bool header_printed = false;
    for (int t : threads) {
        const Roofs roofs{measure_gemm_gflops(t), measure_memory_gbps(t)};
        for (int b : batches) {
            const ThroughputResult r = measure_training_throughput(a.model, b, t, a.seconds);
            if (a.json) {
                emit_json(to_json(r, roofs));
            } else if (batches.size() * threads.size() == 1) {
                print_breakdown(r, roofs);
            } else {
                if (!header_printed)
                    std::printf("%-10s %7s %7s %14s %10s %9s %-7s %s\n", "model", "threads",
                                "batch", "samples/s", "GFLOP/s", "of peak", "roof", "of roof");
                const nlohmann::json j = to_json(r, roofs);
                std::printf("%-10s %7d %7d %14.0f %10.2f %9.3f %-7s %.3f\n", a.model.c_str(), t, b,
                            r.samples_per_second, j["gflops"].get<double>(),
                            j["ratio_to_peak"].get<double>(),
                            j["binding_roof"].get<std::string>().c_str(),
                            j["fraction_of_roof"].get<double>());
                std::fflush(stdout);
                header_printed = true;
            }
        }
    }
    return 0;
}

}  // namespace hgq::cli
