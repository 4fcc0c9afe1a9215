// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/front.h"

namespace hgq::jobs {

store::PointRecord point_record(const store::CheckpointRecord& c, const PointEvaluation& e,
                                int rank) {
    store::PointRecord p;
    p.rank = rank;
    p.epoch = c.epoch;
    p.beta = c.beta;
    p.val_accuracy = c.val_accuracy;
    p.ebops_train = c.ebops;
    p.ebops_exact = e.deployment.ebops;
    p.lut_estimate = e.deployment.lut_estimate;
    p.adder_levels = e.deployment.adder_levels;
    p.test_accuracy = e.test_accuracy;
    p.test_accuracy_float = e.test_accuracy_float;
    p.agreement = e.diff.samples ? double(e.diff.argmax_agree) / double(e.diff.samples) : 0.0;
    p.report = report_json(e);
    return p;
}

std::vector<store::PointRecord> evaluate_front(const Model& like,
                                               const std::vector<store::CheckpointRecord>& front,
                                               const Splits& data, const DeployOptions& opt) {
    std::vector<store::PointRecord> points;
    Model m(like.spec(), like.input_shape(), like.n_classes(), 0);
    for (const store::CheckpointRecord& c : front) {
        m.restore(c.params);
        points.push_back(point_record(c, evaluate_point(m, data, opt), int(points.size()) + 1));
    }
    return points;
}

}  // namespace hgq::jobs
