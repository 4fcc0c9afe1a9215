// SPDX-License-Identifier: GPL-3.0-or-later
// Moving results between studies and notebooks: points as CSV (export, and import of points
// computed elsewhere as a run with status `imported`), and merging a whole study file (runs
// trained on a cluster node join the main study with fresh, consistent ids).
#pragma once
#include <string>

#include "store/study.h"

namespace hgq::store {

// Points (and runs) with their run's hyperparameters: sweep, seed, epochs, batch_size, lr, gamma,
// beta_final (the schedule's last β) and target_ebops (a β-controlled run's target).
void export_points_csv(Study& study, const std::string& csv_path);
void export_runs_csv(Study& study, const std::string& csv_path);
// Returns the id of the run the points were attached to.
int64_t import_points_csv(Study& study, const std::string& csv_path);

struct MergeCounts {
    int64_t sweeps = 0, runs = 0, epochs = 0, checkpoints = 0, points = 0, exports = 0,
            syntheses = 0;
};
MergeCounts merge_study(Study& into, const std::string& other_path);

}  // namespace hgq::store
