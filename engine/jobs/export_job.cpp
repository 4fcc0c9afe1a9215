// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/export_job.h"

#include <chrono>
#include <filesystem>

#include "export/export_checks.h"
#include "export/export_files.h"
#include "jobs/open_point.h"

namespace hgq::jobs {

ExportResult export_job(store::Study& study, const ExportRequest& r) {
    const auto t0 = std::chrono::steady_clock::now();
    const ExportFormat& format = export_format(r.format);
    ExportOptions opt = r.options;
    if (opt.name.empty()) opt.name = "hgq_model";  // checked, never mangled
    // The options first: a typo costs no deployment. (The writer checks the name again against
    // the model's layer names.)
    exportfs::check_top_name(opt.name, format.language, {});
    exportfs::check_part(opt.part);
    exportfs::check_clock_ns(opt.clock_ns);
    OpenPoint point(study, r.point, r.resources_dir, r.threads);
    const IntegerModel& im = point.deployment().model;
    const Mat& test = point.data().test.x;
    const int64_t n = r.vectors > 0 ? std::min<int64_t>(r.vectors, test.rows()) : test.rows();
    ExportResult res;
    res.stats = format.write(im, r.out_dir, opt, format.vectors(im, test.topRows(n), r.threads),
                             point.provenance());
    res.vectors = n;
    res.manifest = exportfs::read_manifest(r.out_dir);
    res.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    study.record_export(r.point, format.name, std::filesystem::absolute(r.out_dir).string(),
                        {{"adders", res.stats.adders}, {"vectors", n}, {"seconds", res.seconds}});
    return res;
}

}  // namespace hgq::jobs
