// SPDX-License-Identifier: GPL-3.0-or-later
// What `hgq train` tells the user: a header, epoch lines (human or JSON), the front table.
#pragma once
#include <chrono>

#include "cli_common.h"
#include "config/experiment.h"
#include "train/points.h"

namespace hgq::cli {

class TrainReport {
  public:
    TrainReport(const ExperimentConfig& cfg, const Splits& data, bool json);
    void start();
    void epoch(const EpochMetrics& m);
    void progress(int epoch, int64_t done, int64_t total);
    void done(const TrainResult& r, const std::vector<FrontPoint>& points);
    // The run as one JSON document (--out): config, every epoch, the front with snapshots.
    nlohmann::json to_json(const TrainResult& r, const std::vector<FrontPoint>& points) const;

  private:
    const ExperimentConfig& cfg_;
    const Splits& data_;
    bool json_;
    ProgressLine bar_;
    std::chrono::steady_clock::time_point t0_;
    EpochMetrics last_;
};

nlohmann::json point_json(const FrontPoint& p, int run);

}  // namespace hgq::cli
