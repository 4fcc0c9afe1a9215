// SPDX-License-Identifier: GPL-3.0-or-later
// Synthesized resources per point (schema v2; adder mode v5): written by hgq synth and the GUI's
// Synthesize action, read by the calibration view and the Pareto plot's LUT axis.
#include <map>

#include "core/error.h"
#include "store/study.h"

namespace hgq::store {

int64_t Study::record_synthesis(const SynthRecord& r) {
    Transaction t(*db_);
    Stmt s(*db_,
           "INSERT INTO syntheses(point_id, tool, family, top, export_dir, luts, carry, ff, "
           "muxf, cells, cells_by_type, seconds, created, adder_mode) VALUES "
           "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
    s.bind(1, r.point_id).bind(2, r.tool).bind(3, r.family).bind(4, r.top).bind(5, r.export_dir);
    s.bind(6, r.luts).bind(7, r.carry).bind(8, r.ff).bind(9, r.muxf).bind(10, r.cells);
    s.bind(11, r.cells_by_type.dump()).bind(12, r.seconds).bind(13, now_iso8601());
    s.bind(14, r.adder_mode).run();
    const int64_t id = db_->last_insert_id();
    t.commit();
    return id;
}

std::vector<SynthRecord> Study::syntheses(int64_t run, const std::string& family,
                                          const std::string& adder_mode) {
    std::vector<SynthRecord> out;
    if (schema_version_ < 2) return out;
    // Before version 5 (a study opened read-only) every synthesis was of unshared adders.
    const bool v5 = schema_version_ >= 5;
    const std::string mode = v5 ? "s.adder_mode" : "'unshared'";
    // The newest row of each point, family and mode: the highest id (ids only grow).
    Stmt s(*db_,
           "SELECT s.id, s.point_id, s.tool, s.family, s.top, s.export_dir, s.luts, s.carry, "
           "s.ff, s.muxf, s.cells, s.cells_by_type, s.seconds, s.created, p.run_id, "
           "p.ebops_exact, p.test_accuracy, " +
               mode +
               " FROM syntheses s JOIN points p ON p.id = s.point_id "
               "WHERE s.id IN (SELECT MAX(id) FROM syntheses GROUP BY point_id, family" +
               (v5 ? ", adder_mode" : "") +
               ") AND (?1 < 0 OR p.run_id = ?1) AND (?2 = '' OR s.family = ?2) AND (?3 = '' OR " +
               mode + " = ?3) ORDER BY s.point_id");
    s.bind(1, run).bind(2, family).bind(3, adder_mode);
    while (s.step()) {
        SynthRecord r;
        r.id = s.int64(0), r.point_id = s.int64(1);
        r.tool = s.text(2), r.family = s.text(3), r.top = s.text(4), r.export_dir = s.text(5);
        r.luts = s.int64(6), r.carry = s.int64(7), r.ff = s.int64(8), r.muxf = s.int64(9);
        r.cells = s.int64(10);
        r.cells_by_type = nlohmann::json::parse(s.text(11), nullptr, false);
        if (r.cells_by_type.is_discarded())
            throw Error::bad_input(
                path(),
                "table syntheses, row " + std::to_string(r.id) + ": cells_by_type is not JSON",
                "delete the row or synthesize the point again");
        r.seconds = s.real(12), r.created = s.text(13);
        r.run_id = s.int64(14), r.ebops_exact = s.int64(15), r.test_accuracy = s.real(16);
        r.adder_mode = s.text(17);
        out.push_back(std::move(r));
    }
    return out;
}

std::string main_synth_family(const std::vector<SynthRecord>& all) {
    std::map<std::string, int> count;
    for (const auto& r : all) ++count[r.family];
    std::string best;
    int most = 0;
    for (const auto& [family, n] : count)
        if (n > most) best = family, most = n;
    return best;
}

std::string main_synth_mode(const std::vector<SynthRecord>& all, const std::string& family) {
    int shared = 0, unshared = 0;
    for (const auto& r : all)
        if (r.family == family) ++(r.adder_mode == "shared" ? shared : unshared);
    // A tie goes to the exports' default, shared.
    return shared >= unshared ? (shared ? "shared" : "") : "unshared";
}

}  // namespace hgq::store
