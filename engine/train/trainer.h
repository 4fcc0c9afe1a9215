// SPDX-License-Identifier: GPL-3.0-or-later
// One training run: one model, one seed, one β schedule (design §1). Epoch loop with seeded
// shuffling, Keras-form Adam, per-epoch LR/β, validation, the Pareto tracker, the per-epoch
// register reset, callbacks, a cancel token checked between batches and a thread cap.
#pragma once
#include <atomic>
#include <functional>

#include "data/dataset.h"
#include "nn/model.h"
#include "train/adam.h"
#include "train/pareto.h"
#include "train/schedule.h"

namespace hgq {

struct TrainOptions {
    int epochs = 100;
    int batch_size = 256;
    uint64_t seed = 1;
    AdamConfig adam;
    LrSchedule lr;
    BetaSchedule beta;
    double gamma = 2e-6;
    int threads = 1;
};

struct EpochMetrics {
    int epoch = 0;  // 1-based, as users count
    double loss = 0, cross_entropy = 0, train_accuracy = 0;
    double val_loss = 0, val_accuracy = 0;
    double ebops = 0;  // differentiable (training-form) EBOPs after the epoch
    double beta = 0, lr = 0;
    double seconds = 0, samples_per_second = 0;
    bool kept = false;  // entered the Pareto front
};

struct TrainCallbacks {
    std::function<void(const EpochMetrics&)> on_epoch;
    // A checkpoint entered the Pareto front (its snapshot is filled in).
    std::function<void(const Checkpoint&)> on_checkpoint;
    // (samples done in this epoch, samples per epoch); called between batches.
    std::function<void(int epoch, int64_t done, int64_t total)> on_progress;
};

struct TrainResult {
    std::vector<EpochMetrics> epochs;
    ParetoTracker pareto;
    bool cancelled = false;
};

struct Evaluation {
    double accuracy = 0, cross_entropy = 0;
};

// Inference-mode accuracy and loss of `model` on `data` (no register updates).
Evaluation evaluate(Model& model, const Dataset& data, int batch_size, int threads);

class Trainer {
  public:
    Trainer(Model& model, const Splits& data, TrainOptions opt, TrainCallbacks cb = {},
            const std::atomic<bool>* cancel = nullptr);
    TrainResult run();

  private:
    bool train_epoch(int epoch, EpochMetrics& m);  // false when cancelled mid-epoch
    void gather_batch(const std::vector<int64_t>& order, int64_t begin, int64_t n);

    Model& model_;
    const Splits& data_;
    TrainOptions opt_;
    TrainCallbacks cb_;
    const std::atomic<bool>* cancel_;
    Adam adam_;
    Mat xb_;                   // (batch, features) gathered batch
    std::vector<int32_t> yb_;  // (batch) its labels
};

}  // namespace hgq
