// SPDX-License-Identifier: GPL-3.0-or-later
// Training throughput of the reference model shapes on synthetic data (`hgq bench`): samples/s,
// where the step's time goes (core/phase_clock.h), the GEMM FLOPs and activation bytes a sample
// costs, and which roof (the measured GEMM peak or the measured memory bandwidth) binds.
// A benchmark, never a test: nothing here has a threshold.
#pragma once
#include <array>
#include <string>

#include "core/phase_clock.h"
#include "nn/model.h"

namespace hgq {

// The HGQ paper's jet tagger (16 → 64 → 32 → 32 → 5) and the SVHN-style CNN on 28×28×1.
ModelSpec bench_model_spec(const std::string& name);  // "jsc" or "fmnist-cnn"
Shape bench_input_shape(const std::string& name);
int bench_classes(const std::string& name);

// What one training step costs per sample, counted from the model's shapes.
struct StepCost {
    double gemm_flops = 0;   // GEMM FLOPs the step executes (2 per multiply-add)
    double useful_flops = 0; // 3 × forward: the forward product and the two backward ones
    double bytes = 0;        // activation-tensor bytes the passes stream (model estimate)
};
StepCost step_cost(Model& model);

struct ThroughputResult {
    std::string model;
    int batch = 0, threads = 0;
    int64_t steps = 0;
    double seconds = 0, samples_per_second = 0;
    StepCost cost;
    std::array<double, size_t(Phase::Count)> phase_seconds{};  // thread 0's time per phase
};

// Trains `model_name` on synthetic data for about `seconds` (after warm-up) with the phase clock on.
ThroughputResult measure_training_throughput(const std::string& model_name, int batch, int threads,
                                             double seconds);

// Best-of-several STREAM-style triad bandwidth (GB/s) over arrays far larger than the caches.
double measure_memory_gbps(int threads);

}  // namespace hgq
