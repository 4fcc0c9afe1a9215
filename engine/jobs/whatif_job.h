// SPDX-License-Identifier: GPL-3.0-or-later
// `hgq whatif` and the app's what-if panel: bit edits on a point, re-derived and measured exactly
// without retraining, and optionally saved as a derived point. The point is opened once
// (deployed, its test split loaded); each evaluation then costs one edit of the integer model and
// one pass of it over the test split.
#pragma once
#include <nlohmann/json.hpp>
#include <vector>

#include "jobs/open_point.h"

namespace hgq::jobs {

struct WhatIfResult {
    std::vector<TensorEdit> edits;  // all of them: the point's own (if derived), then the new
    Deployment deployment;          // the edited model, its reports and totals
    double test_accuracy = 0;       // of the edited integer model on the test split
    std::vector<int32_t> predictions;  // (test samples) its argmax per sample
};

class WhatIf {
  public:
    WhatIf(store::Study& study, int64_t point, std::string resources_dir, int threads = 1);

    const store::PointRecord& point() const { return open_.point(); }
    // Everything an edit may name ("dense1.weights", "input.activations", ...).
    std::vector<std::string> tensors();
    // Throws a bad-input Error (listing the valid names) for an edit this point cannot take.
    void check(const std::vector<TensorEdit>& edits);
    // The point with `edits` applied on top of its own.
    WhatIfResult evaluate(const std::vector<TensorEdit>& edits);
    // Stores `r` as a derived point of the trained point it stems from (its float accuracy and
    // float-vs-integer agreement measured); returns the new point's id.
    int64_t save(store::Study& study, const WhatIfResult& r);

    // {"parent", "edits", "ebops_before", "ebops", "test_accuracy_before", "test_accuracy",
    //  "lut_estimate(_before)", "adder_levels(_before)", "layers": [...]}.
    nlohmann::json to_json(const WhatIfResult& r);

  private:
    OpenPoint open_;
    int threads_ = 1;
};

}  // namespace hgq::jobs
