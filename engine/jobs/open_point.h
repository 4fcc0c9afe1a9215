// SPDX-License-Identifier: GPL-3.0-or-later
// A study's point opened as the firmware it stands for: its run's config (parsed once), the data
// (loaded when first needed, refused if it changed since the run trained), the model with the
// point's stored parameters, and its deployment (checked against the exact EBOPs the study
// recorded). Exports, syntheses and every later what-if start here.
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "config/experiment.h"
#include "deploy/deploy.h"
#include "store/study.h"

namespace hgq::jobs {

class OpenPoint {
  public:
    // Reads the point and its run; nothing is loaded or built yet.
    OpenPoint(store::Study& study, int64_t point, std::string resources_dir, int threads = 1);
    OpenPoint(const OpenPoint&) = delete;
    OpenPoint& operator=(const OpenPoint&) = delete;

    const store::PointRecord& point() const { return point_; }
    const store::RunRecord& run() const { return run_; }
    const ExperimentConfig& config() const { return config_; }
    const Splits& data();
    Model& model();
    const Deployment& deployment();
    // Study, run, point, epoch, β, accuracy, EBOPs and config: what an export records.
    nlohmann::json provenance() const;

  private:
    store::Study& study_;
    store::PointRecord point_;
    store::RunRecord run_;
    ExperimentConfig config_;
    std::string resources_dir_;
    int threads_ = 1;
    std::optional<Splits> data_;
    std::unique_ptr<Model> model_;
    std::optional<Deployment> deployment_;
};

}  // namespace hgq::jobs
