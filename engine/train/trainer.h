// SPDX-License-Identifier: GPL-3.0-or-later
// One training run: one model, one seed, one β schedule (design §1). Epoch loop with seeded
// shuffling, Keras-form Adam, per-epoch LR/β, validation, the Pareto tracker, the per-epoch
// register reset, callbacks, a cancel token checked between batches and a thread cap.
#pragma once
#include <atomic>
#include <functional>
#include <optional>

#include "data/dataset.h"
#include "nn/model.h"
#include "train/adam.h"
#include "train/beta_controller.h"
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
    // When set, β follows this controller (toward a target EBOPs) instead of `beta`.
    std::optional<BetaControllerConfig> beta_controller;
    double gamma = 2e-6;
    int threads = 1;
    // Seconds of training between resume states (snapshot + optimizer moments): a kill loses at
    // most this much work, and tiny models do not spend their time writing checkpoints.
    double state_interval = 2.0;
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

// Everything a run needs to continue after epoch `epochs_done` exactly as if never stopped: the
// shuffles and rounding streams derive from (seed, epoch), so parameters, batch-norm state and
// Adam's moments are the whole state.
struct ResumeState {
    int epochs_done = 0;
    nlohmann::json model;      // Model::snapshot()
    nlohmann::json optimizer;  // {"m": {param: [...]}, "v": {param: [...]}}
    int64_t adam_steps = 0;
    double build_seconds = 0;  // what taking this state cost the training thread
};

struct TrainCallbacks {
    std::function<void(const EpochMetrics&)> on_epoch;
    // A checkpoint entered the Pareto front (its snapshot is filled in).
    std::function<void(const Checkpoint&)> on_checkpoint;
    // (samples done in this epoch, samples per epoch); called between batches.
    std::function<void(int epoch, int64_t done, int64_t total)> on_progress;
    // After each epoch, for stores: `state` is the resume state when one is due (every
    // TrainOptions::state_interval seconds and after the last epoch; null otherwise), `kept` the
    // snapshot of an epoch that entered the front (null otherwise), `front` the front's epochs.
    std::function<void(const EpochMetrics&, const ResumeState* state, const nlohmann::json* kept,
                       const std::vector<int>& front)>
        on_epoch_state;
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
    // Continue from `state` (after a crash or kill); `front` is the run's Pareto front so far.
    void resume_from(ResumeState state, const std::vector<Checkpoint>& front);
    TrainResult run();
    ResumeState state(int epochs_done) const;

  private:
    bool train_epoch(int epoch, EpochMetrics& m);  // false when cancelled mid-epoch
    bool run_epoch(int epoch, EpochMetrics& m, TrainResult& result);
    int apply_resume(TrainResult& result);  // returns the epoch to continue from
    void offer_state(const EpochMetrics& m, const nlohmann::json* kept, const TrainResult& result);
    void gather_batch(const std::vector<int64_t>& order, int64_t begin, int64_t n);

    Model& model_;
    const Splits& data_;
    TrainOptions opt_;
    TrainCallbacks cb_;
    const std::atomic<bool>* cancel_;
    Adam adam_;
    std::optional<BetaController> controller_;
    std::optional<ResumeState> resume_;
    std::vector<Checkpoint> resume_front_;
    double since_state_ = 0;  // training seconds since the last resume state
    Mat xb_;                   // (batch, features) gathered batch
    std::vector<int32_t> yb_;  // (batch) its labels
};

}  // namespace hgq
