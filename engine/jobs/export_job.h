// SPDX-License-Identifier: GPL-3.0-or-later
// Exporting a study's point: the point opened (jobs/open_point), its test vectors computed by
// the integer model, the project written by its format's writer (export/formats), and the
// export recorded in the study. What `hgq export`, `hgq synth` and the app's Export dialog do.
#pragma once
#include <string>

#include "export/formats.h"
#include "store/study.h"

namespace hgq::jobs {

struct ExportRequest {
    int64_t point = 0;
    std::string out_dir, resources_dir;
    std::string format = "hls";  // a name from export_formats()
    ExportOptions options;
    int64_t vectors = 0;  // test-split samples to write (0: all)
    int threads = 1;
};

struct ExportResult {
    ExportStats stats;
    int64_t vectors = 0;
    double seconds = 0;
    nlohmann::json manifest;
};

// Checks the options before anything is deployed, re-deploys the point from its stored
// parameters, writes the project and records it in `study` (the caller's connection).
ExportResult export_job(store::Study& study, const ExportRequest& r);

}  // namespace hgq::jobs
