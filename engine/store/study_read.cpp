// SPDX-License-Identifier: GPL-3.0-or-later
// Reads. Readers never block writers (WAL); what they see is the last committed epoch.
#include "core/error.h"
#include "store/study.h"
#include "store/tensor_blob.h"

namespace hgq::store {
namespace {

constexpr const char* kRunColumns =
    "SELECT r.id, IFNULL(r.sweep_id, 0), r.name, r.status, r.error, r.owner, r.config_file, "
    "r.created, r.started, r.finished, r.config, r.seed, r.epochs_planned, r.epochs_done, "
    "r.train_seconds, (SELECT COUNT(*) FROM points p WHERE p.run_id = r.id), r.store_seconds, ";
// Version 1 and 2 studies (opened read-only, not migrated) have no data_hash column.
std::string run_query(int64_t schema_version, const char* where) {
    return std::string(kRunColumns) + (schema_version >= 3 ? "r.data_hash" : "''") +
           " FROM runs r " + where;
}

RunRecord read_run(const Stmt& s, const std::string& path) {
    RunRecord r;
    r.id = s.int64(0);
    r.sweep_id = s.int64(1);
    r.name = s.text(2);
    r.status = s.text(3);
    r.error = s.text(4);
    r.owner = s.text(5);
    r.config_file = s.text(6);
    r.created = s.text(7);
    r.started = s.text(8);
    r.finished = s.text(9);
    r.config = nlohmann::json::parse(s.text(10), nullptr, false);
    if (r.config.is_discarded())
        throw Error::bad_input(path + ": runs row " + std::to_string(r.id),
                               "the stored config is not valid JSON",
                               "the study is damaged; restore it from a backup");
    r.seed = uint64_t(s.int64(11));
    r.epochs_planned = int(s.int64(12));
    r.epochs_done = int(s.int64(13));
    r.train_seconds = s.real(14);
    r.n_points = int(s.int64(15));
    r.store_seconds = s.real(16);
    r.data_hash = s.text(17);
    return r;
}

// The points' columns; before version 6 no point is derived.
std::string point_query(int64_t version, bool with_report) {
    return std::string(
               "SELECT id, run_id, IFNULL(checkpoint_id, 0), rank, epoch, beta, val_accuracy, "
               "test_accuracy, test_accuracy_float, ebops_train, ebops_exact, lut_estimate, "
               "adder_levels, IFNULL(agreement, 0), ") +
           (with_report ? "report" : "''") +
           (version >= 6 ? ", IFNULL(parent_id, 0), edits" : ", 0, '[]'") + " FROM points ";
}

PointRecord read_point(const Stmt& s, bool with_report = true) {
    PointRecord r;
    r.id = s.int64(0);
    r.run_id = s.int64(1);
    r.checkpoint_id = s.int64(2);
    r.rank = int(s.int64(3));
    r.epoch = int(s.int64(4));
    r.beta = s.real(5);
    r.val_accuracy = s.real(6);
    r.test_accuracy = s.real(7);
    r.test_accuracy_float = s.real(8);
    r.ebops_train = s.real(9);
    r.ebops_exact = s.int64(10);
    r.lut_estimate = s.real(11);
    r.adder_levels = int(s.int64(12));
    r.agreement = s.real(13);
    if (with_report) r.report = nlohmann::json::parse(s.text(14), nullptr, false);
    r.parent_id = s.int64(15);
    r.edits = nlohmann::json::parse(s.text(16), nullptr, false);
    if (!r.edits.is_array()) r.edits = nlohmann::json::array();
    return r;
}

}  // namespace

std::vector<SweepRecord> Study::sweeps() {
    std::vector<SweepRecord> out;
    Stmt s(*db_, "SELECT id, name, created, spec FROM sweeps ORDER BY id");
    while (s.step())
        out.push_back(
            {s.int64(0), s.text(1), s.text(2), nlohmann::json::parse(s.text(3), nullptr, false)});
    return out;
}

std::vector<RunRecord> Study::runs(int64_t sweep) {
    std::vector<RunRecord> out;
    Stmt s(*db_, run_query(schema_version_, "WHERE ?1 < 0 OR r.sweep_id = ?1 ORDER BY r.id"));
    s.bind(1, sweep);
    while (s.step()) out.push_back(read_run(s, path()));
    return out;
}

RunRecord Study::run(int64_t id) {
    Stmt s(*db_, run_query(schema_version_, "WHERE r.id = ?1"));
    s.bind(1, id);
    if (!s.step())
        throw Error::bad_input(path(), "has no run " + std::to_string(id), "list them: hgq runs");
    return read_run(s, path());
}

std::vector<EpochRecord> Study::epochs(int64_t run) {
    std::vector<EpochRecord> out;
    Stmt s(*db_,
           "SELECT epoch, loss, cross_entropy, train_accuracy, val_loss, val_accuracy, ebops, "
           "beta, lr, seconds, samples_per_second, kept FROM epochs WHERE run_id = ?1 ORDER BY "
           "epoch");
    s.bind(1, run);
    while (s.step()) {
        EpochRecord m;
        m.epoch = int(s.int64(0));
        m.loss = s.real(1);
        m.cross_entropy = s.real(2);
        m.train_accuracy = s.real(3);
        m.val_loss = s.real(4);
        m.val_accuracy = s.real(5);
        m.ebops = s.real(6);
        m.beta = s.real(7);
        m.lr = s.real(8);
        m.seconds = s.real(9);
        m.samples_per_second = s.real(10);
        m.kept = s.int64(11) != 0;
        out.push_back(m);
    }
    return out;
}

std::vector<CheckpointRecord> Study::front_checkpoints(int64_t run) {
    std::vector<CheckpointRecord> out;
    Stmt s(*db_,
           "SELECT id, epoch, val_accuracy, val_loss, ebops, beta, params FROM checkpoints WHERE "
           "run_id = ?1 AND kind = 'front' ORDER BY epoch");
    s.bind(1, run);
    while (s.step()) {
        const std::string where = path() + ": checkpoints row " + std::to_string(s.int64(0));
        out.push_back({int(s.int64(1)), s.real(2), s.real(3), s.real(4), s.real(5),
                       decode_snapshot(s.blob(6), where)});
    }
    return out;
}

std::vector<std::pair<int64_t, CheckpointRecord>> Study::front_metrics(int64_t run) {
    std::vector<std::pair<int64_t, CheckpointRecord>> out;
    Stmt s(*db_,
           "SELECT id, epoch, val_accuracy, val_loss, ebops, beta FROM checkpoints WHERE "
           "run_id = ?1 AND kind = 'front' ORDER BY epoch");
    s.bind(1, run);
    while (s.step())
        out.push_back(
            {s.int64(0), {int(s.int64(1)), s.real(2), s.real(3), s.real(4), s.real(5), {}}});
    return out;
}

std::optional<ResumeRecord> Study::resume_state(int64_t run) {
    Stmt s(*db_,
           "SELECT id, epoch, params, optimizer, adam_steps FROM checkpoints WHERE run_id = ?1 "
           "AND kind = 'resume' ORDER BY epoch DESC LIMIT 1");
    s.bind(1, run);
    if (!s.step()) return std::nullopt;
    const std::string where = path() + ": checkpoints row " + std::to_string(s.int64(0));
    ResumeRecord st;
    st.epochs_done = int(s.int64(1));
    st.params = decode_snapshot(s.blob(2), where);
    st.optimizer = decode_snapshot(s.blob(3), where);
    st.adam_steps = s.int64(4);
    return st;
}

std::vector<PointRecord> Study::points(int64_t run, bool with_report) {
    std::vector<PointRecord> out;
    Stmt s(*db_, point_query(schema_version_, with_report) +
                     "WHERE ?1 < 0 OR run_id = ?1 ORDER BY id");
    s.bind(1, run);
    while (s.step()) out.push_back(read_point(s, with_report));
    return out;
}

int64_t Study::data_version() {
    return db_->pragma_int("data_version");
}

PointRecord Study::point(int64_t id) {
    Stmt s(*db_, point_query(schema_version_, true) + "WHERE id = ?1");
    s.bind(1, id);
    if (!s.step())
        throw Error::bad_input(path(), "has no point " + std::to_string(id),
                               "list them: hgq pareto");
    return read_point(s);
}

nlohmann::json Study::point_snapshot(int64_t point_id) {
    const PointRecord p = point(point_id);
    Stmt s(*db_, "SELECT params FROM checkpoints WHERE id = ?1");
    s.bind(1, p.checkpoint_id);
    if (!s.step())
        throw Error::bad_input(path() + ": point " + std::to_string(point_id),
                               "has no stored model (it was imported from CSV)",
                               "pick a point trained in this study");
    return decode_snapshot(s.blob(0),
                           path() + ": checkpoints row " + std::to_string(p.checkpoint_id));
}

}  // namespace hgq::store
