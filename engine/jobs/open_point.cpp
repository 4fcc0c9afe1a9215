// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/open_point.h"

#include <filesystem>

#include "core/error.h"
#include "jobs/run_job.h"

namespace hgq::jobs {

OpenPoint::OpenPoint(store::Study& study, int64_t point, std::string resources_dir, int threads,
                     bool stored_types)
    : study_(study),
      point_(study.point(point)),
      run_(study.run(point_.run_id)),
      config_(parse_experiment(run_.config, run_.config_file)),
      resources_dir_(std::move(resources_dir)),
      threads_(threads),
      stored_types_(stored_types) {}

const Splits& OpenPoint::data() {
    if (!data_) {
        data_ = load_experiment_data(config_, resources_dir_);
        check_same_data(study_.path(), run_, *data_);
    }
    return *data_;
}

Model& OpenPoint::model() {
    if (!model_) {
        model_ = std::make_unique<Model>(build_run_model(config_, data()));
        model_->restore(study_.point_snapshot(point_.id));
    }
    return *model_;
}

const Deployment& OpenPoint::trained_deployment() {
    if (trained_) return *trained_;
    DeployOptions opt;
    opt.threads = threads_;
    store::PointRecord root = point_;  // the trained point the edits start from
    while (root.derived()) root = study_.point(root.parent_id);
    if (stored_types_ && root.report.contains("types")) {
        // One row traces nothing that is kept: it gives the structure and the inference-mode
        // fused kernels; every type and code comes from the study.
        const Deployment skeleton = deploy(model(), data().train.x.topRows(1), opt);
        trained_ = summarize(model_from_types(skeleton.model, root.report["types"]));
        if (trained_->ebops == root.ebops_exact) return *trained_;
    }
    trained_ = deploy(model(), data().train.x, opt);
    return *trained_;
}

std::vector<FloatKernel> OpenPoint::kernels() {
    trained_deployment();  // the fused kernels are the inference ones from here on
    return float_kernels(model());
}

std::vector<TensorEdit> OpenPoint::edits() const {
    return edits_from_json(point_.edits);
}

const Deployment& OpenPoint::deployment() {
    if (!deployment_) {
        if (point_.derived())
            deployment_ = summarize(apply_edits(trained_deployment().model, kernels(), edits()));
        else
            deployment_ = trained_deployment();
        if (deployment_->ebops != point_.ebops_exact)
            throw Error::runtime(study_.path() + ": point " + std::to_string(point_.id),
                                 "re-deploying gives " + std::to_string(deployment_->ebops) +
                                     " exact EBOPs, the study recorded " +
                                     std::to_string(point_.ebops_exact),
                                 "the data set changed since training; restore it to export");
    }
    return *deployment_;
}

nlohmann::json OpenPoint::provenance() const {
    return {{"study", std::filesystem::absolute(study_.path()).string()},
            {"run", run_.id},
            {"run_name", run_.name},
            {"point", point_.id},
            {"epoch", point_.epoch},
            {"beta", point_.beta},
            {"test_accuracy", point_.test_accuracy},
            {"ebops_exact", point_.ebops_exact},
            {"lut_estimate", point_.lut_estimate},
            {"config", run_.config},
            {"parent", point_.parent_id},
            {"edits", point_.edits}};
}

}  // namespace hgq::jobs
