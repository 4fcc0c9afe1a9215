// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/synth_job.h"

#include <filesystem>

#include "core/error.h"
#include "jobs/export_job.h"

namespace hgq::jobs {

store::SynthRecord to_record(const SynthCounts& c) {
    store::SynthRecord r;
    r.point_id = c.point_id;
    r.tool = c.tool, r.family = c.family, r.top = c.top, r.export_dir = c.export_dir;
    r.adder_mode = c.adder_mode;
    r.luts = c.luts, r.carry = c.carry, r.ff = c.ff, r.muxf = c.muxf, r.cells = c.cells;
    r.seconds = c.seconds;
    r.cells_by_type = c.cells_by_type;
    return r;
}

store::SynthRecord record_synthesis(store::Study& study, const SynthCounts& c) {
    const store::PointRecord p = study.point(c.point_id);  // throws if the point is not there
    store::SynthRecord r = to_record(c);
    r.run_id = p.run_id, r.ebops_exact = p.ebops_exact, r.test_accuracy = p.test_accuracy;
    r.id = study.record_synthesis(r);
    return r;
}

std::string study_of_export(const std::string& dir, const std::string& fallback) {
    if (!fallback.empty()) return fallback;
    const nlohmann::json m = read_verilog_manifest(std::filesystem::absolute(dir));
    const std::string path = m.value("study", "");
    if (path.empty())
        throw Error::bad_input((std::filesystem::path(dir) / "hgq_export.json").string(),
                               "names no study", "pass --db");
    return path;
}

store::SynthRecord synth_job(store::Study& study, const SynthRequest& q) {
    ExportRequest e;
    e.point = q.point, e.out_dir = q.out_dir, e.resources_dir = q.resources_dir;
    e.format = "verilog";
    e.options.register_stages = q.register_stages;
    e.options.overwrite = q.overwrite;
    e.options.share_adders = q.share_adders;
    e.vectors = 64;  // synthesis needs none; a few keep the folder verifiable
    e.threads = q.threads;
    export_job(study, e);
    return record_synthesis(study, synthesize_export(q.out_dir, q.synth));
}

}  // namespace hgq::jobs
