// SPDX-License-Identifier: GPL-3.0-or-later
// Writes: each public call is one transaction, so a reader (GUI, `hgq runs`, another process)
// sees either all of an epoch or none of it.
#include "core/error.h"
#include "store/study.h"
#include "store/tensor_blob.h"

namespace hgq::store {

namespace {
int64_t insert_sweep(Db& db, const std::string& name, const nlohmann::json& spec) {
    Stmt(db, "INSERT INTO sweeps(name, created, spec) VALUES (?1, ?2, ?3)")
        .bind(1, name)
        .bind(2, now_iso8601())
        .bind(3, spec.dump())
        .run();
    return db.last_insert_id();
}

int64_t insert_run(Db& db, int64_t sweep_id, const NewRun& r) {
    Stmt s(db,
           "INSERT INTO runs(sweep_id, name, config, config_file, seed, status, created, "
           "epochs_planned) VALUES (?1, ?2, ?3, ?4, ?5, 'queued', ?6, ?7)");
    if (sweep_id > 0)
        s.bind(1, sweep_id);
    else
        s.bind_null(1);
    s.bind(2, r.name).bind(3, r.config.dump()).bind(4, r.config_file).bind(5, int64_t(r.seed));
    s.bind(6, now_iso8601()).bind(7, r.epochs_planned).run();
    return db.last_insert_id();
}
}  // namespace

int64_t Study::create_sweep(const std::string& name, const nlohmann::json& spec) {
    Transaction t(*db_);
    const int64_t id = insert_sweep(*db_, name, spec);
    t.commit();
    return id;
}

int64_t Study::create_run(int64_t sweep_id, const std::string& name, const nlohmann::json& config,
                          const std::string& config_file, uint64_t seed, int epochs_planned) {
    Transaction t(*db_);
    const int64_t id = insert_run(*db_, sweep_id, {name, config, config_file, seed, epochs_planned});
    t.commit();
    return id;
}

std::pair<int64_t, std::vector<int64_t>> Study::create_sweep_runs(const std::string& sweep_name,
                                                                  const nlohmann::json& spec,
                                                                  const std::vector<NewRun>& runs) {
    Transaction t(*db_);
    const int64_t sweep = sweep_name.empty() ? 0 : insert_sweep(*db_, sweep_name, spec);
    std::vector<int64_t> ids;
    for (const NewRun& r : runs) ids.push_back(insert_run(*db_, sweep, r));
    t.commit();
    return {sweep, ids};
}

void Study::mark_running(int64_t run, const std::string& data_hash) {
    Transaction t(*db_);
    Stmt(*db_,
         "UPDATE runs SET status = 'running', owner = ?2, error = '', "
         "started = CASE WHEN started = '' THEN ?3 ELSE started END, "
         "data_hash = CASE WHEN data_hash = '' THEN ?4 ELSE data_hash END WHERE id = ?1")
        .bind(1, run)
        .bind(2, process_owner())
        .bind(3, now_iso8601())
        .bind(4, data_hash)
        .run();
    if (db_->changes() != 1) throw Error::bad_input(path(), "no run " + std::to_string(run));
    t.commit();
}

void Study::finish_run(int64_t run, const std::string& status, const std::string& error) {
    Transaction t(*db_);
    Stmt(*db_, "UPDATE runs SET status = ?2, error = ?3, finished = ?4, owner = '' WHERE id = ?1")
        .bind(1, run)
        .bind(2, status)
        .bind(3, error)
        .bind(4, now_iso8601())
        .run();
    t.commit();
}

namespace {
void insert_epoch(Db& db, int64_t run, const EpochRecord& m) {
    Stmt(db,
         "INSERT OR REPLACE INTO epochs(run_id, epoch, loss, cross_entropy, train_accuracy, "
         "val_loss, val_accuracy, ebops, beta, lr, seconds, samples_per_second, kept) VALUES "
         "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)")
        .bind(1, run)
        .bind(2, m.epoch)
        .bind(3, m.loss)
        .bind(4, m.cross_entropy)
        .bind(5, m.train_accuracy)
        .bind(6, m.val_loss)
        .bind(7, m.val_accuracy)
        .bind(8, m.ebops)
        .bind(9, m.beta)
        .bind(10, m.lr)
        .bind(11, m.seconds)
        .bind(12, m.samples_per_second)
        .bind(13, m.kept ? 1 : 0)
        .run();
}

void insert_checkpoint(Db& db, int64_t run, const EpochRecord& m, const nlohmann::json& model,
                       const ResumeRecord* resume) {
    Stmt s(db,
           "INSERT OR REPLACE INTO checkpoints(run_id, epoch, kind, val_accuracy, val_loss, ebops, "
           "beta, params, optimizer, adam_steps) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    s.bind(1, run).bind(2, m.epoch).bind(3, resume ? "resume" : "front");
    s.bind(4, m.val_accuracy).bind(5, m.val_loss).bind(6, m.ebops).bind(7, m.beta);
    s.bind_blob(8, encode_snapshot(model));
    if (resume)
        s.bind_blob(9, encode_snapshot(resume->optimizer)).bind(10, resume->adam_steps);
    else
        s.bind_null(9).bind(10, int64_t(0));
    s.run();
}
}  // namespace

// One transaction: the epoch row, the resume checkpoint (replacing the previous one), the new
// front checkpoint if this epoch was kept, and the removal of checkpoints the front dropped.
void Study::record_epoch(int64_t run, const EpochRecord& m, const ResumeRecord* state,
                         const nlohmann::json* kept, const std::vector<int>& front_epochs,
                         double store_seconds) {
    Transaction t(*db_);
    insert_epoch(*db_, run, m);
    if (state) {
        Stmt(*db_, "DELETE FROM checkpoints WHERE run_id = ?1 AND kind = 'resume'")
            .bind(1, run)
            .run();
        insert_checkpoint(*db_, run, m, state->params, state);
    }
    if (kept) insert_checkpoint(*db_, run, m, *kept, nullptr);
    nlohmann::json keep = front_epochs;
    Stmt(*db_,
         "DELETE FROM checkpoints WHERE run_id = ?1 AND kind = 'front' AND epoch NOT IN "
         "(SELECT value FROM json_each(?2))")
        .bind(1, run)
        .bind(2, keep.dump())
        .run();
    Stmt(*db_,
         "UPDATE runs SET epochs_done = ?2, train_seconds = train_seconds + ?3, "
         "store_seconds = store_seconds + ?4 WHERE id = ?1")
        .bind(1, run)
        .bind(2, m.epoch)
        .bind(3, m.seconds)
        .bind(4, store_seconds)
        .run();
    t.commit();
}

void Study::rewind(int64_t run, int epochs_done) {
    Transaction t(*db_);
    Stmt(*db_, "DELETE FROM epochs WHERE run_id = ?1 AND epoch > ?2")
        .bind(1, run)
        .bind(2, epochs_done)
        .run();
    Stmt(*db_, "DELETE FROM checkpoints WHERE run_id = ?1 AND epoch > ?2 AND kind = 'front'")
        .bind(1, run)
        .bind(2, epochs_done)
        .run();
    Stmt(*db_, "UPDATE runs SET epochs_done = ?2 WHERE id = ?1")
        .bind(1, run)
        .bind(2, epochs_done)
        .run();
    t.commit();
}

std::vector<int64_t> Study::record_points(int64_t run, const std::vector<PointRecord>& points) {
    Transaction t(*db_);
    Stmt(*db_, "DELETE FROM points WHERE run_id = ?1").bind(1, run).run();  // a resumed run redoes
    std::vector<int64_t> ids;
    Stmt s(*db_,
           "INSERT INTO points(run_id, checkpoint_id, rank, epoch, beta, val_accuracy, "
           "test_accuracy, test_accuracy_float, ebops_train, ebops_exact, lut_estimate, "
           "adder_levels, agreement, report) VALUES (?1, (SELECT id FROM checkpoints WHERE "
           "run_id = ?1 AND epoch = ?2 AND kind = 'front'), ?3, ?2, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
           "?11, ?12, ?13)");
    for (const PointRecord& p : points) {
        s.bind(1, run).bind(2, p.epoch).bind(3, p.rank).bind(4, p.beta).bind(5, p.val_accuracy);
        s.bind(6, p.test_accuracy).bind(7, p.test_accuracy_float).bind(8, p.ebops_train);
        s.bind(9, p.ebops_exact).bind(10, p.lut_estimate).bind(11, p.adder_levels);
        s.bind(12, p.agreement).bind(13, p.report.dump());
        s.run();
        ids.push_back(db_->last_insert_id());
    }
    t.commit();
    return ids;
}

int64_t Study::record_derived_point(const PointRecord& p) {
    if (!p.derived()) throw Error::runtime(path(), "a derived point needs its parent");
    Transaction t(*db_);
    Stmt s(*db_,
           "INSERT INTO points(run_id, checkpoint_id, rank, epoch, beta, val_accuracy, "
           "test_accuracy, test_accuracy_float, ebops_train, ebops_exact, lut_estimate, "
           "adder_levels, agreement, report, parent_id, edits) SELECT run_id, checkpoint_id, 0, "
           "epoch, beta, val_accuracy, ?2, ?3, ebops_train, ?4, ?5, ?6, ?7, ?8, id, ?9 FROM "
           "points WHERE id = ?1");
    s.bind(1, p.parent_id).bind(2, p.test_accuracy).bind(3, p.test_accuracy_float);
    s.bind(4, p.ebops_exact).bind(5, p.lut_estimate).bind(6, p.adder_levels);
    s.bind(7, p.agreement).bind(8, p.report.dump()).bind(9, p.edits.dump());
    s.run();
    if (db_->changes() != 1)
        throw Error::bad_input(path(), "has no point " + std::to_string(p.parent_id),
                               "list them: hgq pareto --all");
    const int64_t id = db_->last_insert_id();
    t.commit();
    return id;
}

int64_t Study::record_export(int64_t point, const std::string& format, const std::string& path,
                             const nlohmann::json& details, int verified) {
    Transaction t(*db_);
    Stmt s(*db_,
           "INSERT INTO exports(point_id, format, path, created, verified, details) VALUES "
           "(?1, ?2, ?3, ?4, ?5, ?6)");
    s.bind(1, point).bind(2, format).bind(3, path).bind(4, now_iso8601());
    if (verified < 0)
        s.bind_null(5);
    else
        s.bind(5, verified);
    s.bind(6, details.dump()).run();
    const int64_t id = db_->last_insert_id();
    t.commit();
    return id;
}

int Study::mark_orphans_interrupted() {
    std::vector<int64_t> orphans;
    {
        Stmt s(*db_, "SELECT id, owner FROM runs WHERE status = 'running'");
        while (s.step())
            if (!owner_alive(s.text(1))) orphans.push_back(s.int64(0));
    }
    if (orphans.empty()) return 0;
    Transaction t(*db_);
    for (int64_t id : orphans)
        Stmt(*db_,
             "UPDATE runs SET status = 'interrupted', owner = '', error = 'the process running "
             "it stopped (crash, kill or power loss); resume it with hgq resume' WHERE id = ?1 "
             "AND status = 'running'")
            .bind(1, id)
            .run();
    t.commit();
    return int(orphans.size());
}

}  // namespace hgq::store
