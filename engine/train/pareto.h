// SPDX-License-Identifier: GPL-3.0-or-later
// HGQ's ParetoFront callback (spec §6): after each epoch, keep the checkpoints not dominated on
// (validation accuracy ↑, EBOPs ↓). A newcomer equal to or worse than a kept point in both is
// discarded; otherwise every kept point it matches or beats in both is dropped.
#pragma once
#include <functional>
#include <nlohmann/json.hpp>
#include <vector>

namespace hgq {

struct Checkpoint {
    int epoch = 0;
    double val_accuracy = 0, val_loss = 0, ebops = 0, beta = 0;
    nlohmann::json snapshot;  // model parameters and batch-norm state (Model::snapshot)
};

class ParetoTracker {
  public:
    // Offers an epoch's metrics; `take_snapshot` is called only if the checkpoint is kept.
    bool offer(Checkpoint c, const std::function<nlohmann::json()>& take_snapshot);
    // Kept checkpoints, sorted by EBOPs ascending.
    std::vector<Checkpoint> front() const;
    size_t size() const { return kept_.size(); }

  private:
    std::vector<Checkpoint> kept_;
};

}  // namespace hgq
