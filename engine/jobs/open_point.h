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
#include "deploy/whatif.h"
#include "store/study.h"

namespace hgq::jobs {

class OpenPoint {
  public:
    // Reads the point and its run; nothing is loaded or built yet.
    // `stored_types`: the trained deployment is rebuilt from the types the study stored with the
    // trained point (checked against its exact EBOPs) instead of tracing the training split
    // again — what a what-if does; exports re-deploy from the data.
    OpenPoint(store::Study& study, int64_t point, std::string resources_dir, int threads = 1,
              bool stored_types = false);
    OpenPoint(const OpenPoint&) = delete;
    OpenPoint& operator=(const OpenPoint&) = delete;

    const store::PointRecord& point() const { return point_; }
    const store::RunRecord& run() const { return run_; }
    const ExperimentConfig& config() const { return config_; }
    const Splits& data();
    Model& model();
    // The point's firmware: for a derived point (`hgq whatif --save`), the trained deployment
    // with the point's edits applied.
    const Deployment& deployment();
    // The deployment of the stored parameters, before any edit (the same as deployment() for a
    // trained point), its float kernels, and the point's edits (empty for a trained point).
    const Deployment& trained_deployment();
    std::vector<FloatKernel> kernels();
    std::vector<TensorEdit> edits() const;
    // Study, run, point, epoch, β, accuracy, EBOPs and config: what an export records.
    nlohmann::json provenance() const;

  private:
    store::Study& study_;
    store::PointRecord point_;
    store::RunRecord run_;
    ExperimentConfig config_;
    std::string resources_dir_;
    int threads_ = 1;
    bool stored_types_ = false;
    std::optional<Splits> data_;
    std::unique_ptr<Model> model_;
    std::optional<Deployment> trained_, deployment_;
};

}  // namespace hgq::jobs
