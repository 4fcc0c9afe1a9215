// SPDX-License-Identifier: GPL-3.0-or-later
#include "thread_choice.h"

#include <algorithm>
#include <chrono>
#include <numeric>

#include "jobs/run_job.h"
#include "train/trainer.h"

namespace hgq::jobs {
namespace {

Dataset head(const Dataset& d, int64_t n) {
    std::vector<int64_t> idx(size_t(std::min(n, d.size())));
    std::iota(idx.begin(), idx.end(), 0);
    return d.subset(idx);
}

// Samples/s of the fastest of 3 short epochs (the first also pays for allocations).
double probe(const ExperimentConfig& cfg, const Splits& slice, int threads) {
    Model model = build_run_model(cfg, slice);
    TrainOptions to = cfg.training;
    to.epochs = 3;
    to.threads = threads;
    Trainer trainer(model, slice, to);
    double best = 0;
    for (const EpochMetrics& m : trainer.run().epochs) best = std::max(best, m.samples_per_second);
    return best;
}

}  // namespace

ThreadChoice choose_threads(const ExperimentConfig& cfg, const Splits& data, int max_threads) {
    ThreadChoice c;
    if (max_threads <= 1 || data.train.size() == 0) return c;
    Splits slice;
    slice.train = head(data.train, int64_t(cfg.training.batch_size) * 16);
    slice.validation = head(data.validation, 64);  // each epoch evaluates it: keep it small
    slice.test = head(data.test, 1);
    slice.mean = data.mean, slice.inv_std = data.inv_std;
    c.single = probe(cfg, slice, 1);
    c.multi = probe(cfg, slice, max_threads);
    c.threads = c.multi > 1.1 * c.single ? max_threads : 1;
    return c;
}

}  // namespace hgq::jobs
