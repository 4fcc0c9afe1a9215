// SPDX-License-Identifier: GPL-3.0-or-later
// Shards: a cluster task's own study, published as a consistent snapshot (the backup API) and
// merged back run by run. A merge replaces the task's rows, so merging the same or a newer
// snapshot twice never duplicates anything.
#include <sqlite3.h>

#include <cstdio>

#include "core/error.h"
#include "store/study.h"

namespace hgq::store {
namespace {

// Detaches the shard however the merge ends (DETACH cannot run inside the transaction).
struct Attached {
    Db& db;
    Attached(Db& d, const std::string& path) : db(d) {
        Stmt(db, "ATTACH DATABASE ?1 AS shard").bind(1, path).run();
    }
    ~Attached() {
        try {
            db.exec("DETACH DATABASE shard");
        } catch (...) {
        }
    }
};

void copy_rows(Db& db, int64_t shard_run, int64_t run) {
    Stmt(db,
         "INSERT INTO epochs SELECT ?2, epoch, loss, cross_entropy, train_accuracy, val_loss, "
         "val_accuracy, ebops, beta, lr, seconds, samples_per_second, kept FROM shard.epochs "
         "WHERE run_id = ?1")
        .bind(1, shard_run)
        .bind(2, run)
        .run();
    int64_t base = 0;
    {
        Stmt s(db, "SELECT IFNULL(MAX(id), 0) FROM main.checkpoints");
        if (s.step()) base = s.int64(0);
    }
    Stmt(db,
         "INSERT INTO checkpoints(id, run_id, epoch, kind, val_accuracy, val_loss, ebops, beta, "
         "params, optimizer, adam_steps) SELECT id + ?3, ?2, epoch, kind, val_accuracy, "
         "val_loss, ebops, beta, params, optimizer, adam_steps FROM shard.checkpoints WHERE "
         "run_id = ?1")
        .bind(1, shard_run)
        .bind(2, run)
        .bind(3, base)
        .run();
    Stmt(db,
         "INSERT INTO points(run_id, checkpoint_id, rank, epoch, beta, val_accuracy, "
         "test_accuracy, test_accuracy_float, ebops_train, ebops_exact, lut_estimate, "
         "adder_levels, agreement, report) SELECT ?2, CASE WHEN checkpoint_id IS NULL THEN NULL "
         "ELSE checkpoint_id + ?3 END, rank, epoch, beta, val_accuracy, test_accuracy, "
         "test_accuracy_float, ebops_train, ebops_exact, lut_estimate, adder_levels, agreement, "
         "report FROM shard.points WHERE run_id = ?1 ORDER BY id")
        .bind(1, shard_run)
        .bind(2, run)
        .bind(3, base)
        .run();
}

}  // namespace

void Study::replace_run_from_shard(const std::string& shard_path, int64_t shard_run, int64_t run,
                                   int64_t sweep, int task, const std::string& stamp) {
    Attached attached(*db_, shard_path);
    Transaction t(*db_);
    for (const char* table : {"points", "checkpoints", "epochs"})
        Stmt(*db_, std::string("DELETE FROM ") + table + " WHERE run_id = ?1").bind(1, run).run();
    copy_rows(*db_, shard_run, run);
    // The run's state as the task left it; the scheduler's owner stays while it still runs.
    Stmt(*db_,
         "UPDATE runs SET (status, error, started, finished, epochs_done, train_seconds, "
         "store_seconds, data_hash) = (SELECT status, error, started, finished, epochs_done, "
         "train_seconds, store_seconds, data_hash FROM shard.runs WHERE id = ?1), owner = "
         "CASE WHEN (SELECT status FROM shard.runs WHERE id = ?1) = 'running' THEN owner ELSE "
         "'' END WHERE id = ?2")
        .bind(1, shard_run)
        .bind(2, run)
        .run();
    Stmt(*db_,
         "UPDATE cluster_tasks SET shard_stamp = ?3, collected = ?4 WHERE sweep_id = ?1 AND "
         "task = ?2")
        .bind(1, sweep)
        .bind(2, int64_t(task))
        .bind(3, stamp)
        .bind(4, now_iso8601())
        .run();
    t.commit();
}

void Study::backup_to(const std::string& dest) {
    std::remove(dest.c_str());
    Db out(dest, Db::Mode::ReadWriteCreate);
    sqlite3_backup* b = sqlite3_backup_init(out.handle(), "main", db_->handle(), "main");
    if (!b) out.fail(sqlite3_errcode(out.handle()), "starting a backup of " + path());
    const int rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) out.fail(rc, "backing up " + path());
    // Rollback-journal mode: the snapshot reads anywhere without -wal or -shm files.
    out.exec("PRAGMA journal_mode = DELETE");
}

}  // namespace hgq::store
