// SPDX-License-Identifier: GPL-3.0-or-later
// How many threads a run should train with, measured rather than assumed: a small network (the
// digits MLP: 64→32→10, batch 128) trains faster on one thread than on two — the per-layer
// synchronisation costs more than the split GEMMs save — while a CNN gains from every core.
// Used where a caller shares cores among runs (the app's sweeps); a run's thread count is
// stored with it, so "same seed and thread count → same run" still holds.
#pragma once
#include "config/experiment.h"
#include "data/dataset.h"

namespace hgq::jobs {

struct ThreadChoice {
    int threads = 1;
    double single = 0, multi = 0;  // training samples/s measured with 1 and with `max` threads
};

// Trains throwaway copies of cfg's model on a slice of `data` (about 16 batches, 3 epochs) with
// 1 and with max_threads threads and keeps the faster; more threads must win by 10 % to be
// chosen (they also take cores other runs could use). max_threads <= 1: {1, 0, 0}, no probe.
ThreadChoice choose_threads(const ExperimentConfig& cfg, const Splits& data, int max_threads);

}  // namespace hgq::jobs
