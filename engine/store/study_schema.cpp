// SPDX-License-Identifier: GPL-3.0-or-later
// Opening a study: pragmas, the application id that tells a study from any other SQLite file,
// and `PRAGMA user_version` migrations, each applied in one transaction.
#include <map>
#include <set>

#include "core/error.h"
#include "store/study.h"

namespace hgq::store {
namespace {

// Version 1. Metrics are columns (the CLI and GUI sort and filter on them); per-layer detail
// is JSON; parameters are checksummed tensor BLOBs (tensor_blob.h).
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE sweeps (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, created TEXT NOT NULL, spec TEXT NOT NULL);
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  sweep_id INTEGER REFERENCES sweeps(id) ON DELETE CASCADE,
  name TEXT NOT NULL, config TEXT NOT NULL, config_file TEXT NOT NULL, seed INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN
    ('queued','running','done','failed','cancelled','interrupted','imported')),
  error TEXT NOT NULL DEFAULT '', owner TEXT NOT NULL DEFAULT '',
  created TEXT NOT NULL, started TEXT NOT NULL DEFAULT '', finished TEXT NOT NULL DEFAULT '',
  epochs_planned INTEGER NOT NULL, epochs_done INTEGER NOT NULL DEFAULT 0,
  train_seconds REAL NOT NULL DEFAULT 0, store_seconds REAL NOT NULL DEFAULT 0);
CREATE TABLE epochs (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, epoch INTEGER NOT NULL,
  loss REAL, cross_entropy REAL, train_accuracy REAL, val_loss REAL, val_accuracy REAL,
  ebops REAL, beta REAL, lr REAL, seconds REAL, samples_per_second REAL, kept INTEGER,
  PRIMARY KEY (run_id, epoch));
CREATE TABLE checkpoints (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, epoch INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('front','resume')),
  val_accuracy REAL, val_loss REAL, ebops REAL, beta REAL,
  params BLOB NOT NULL, optimizer BLOB, adam_steps INTEGER NOT NULL DEFAULT 0,
  UNIQUE (run_id, epoch, kind));
CREATE TABLE points (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  checkpoint_id INTEGER REFERENCES checkpoints(id) ON DELETE SET NULL,
  rank INTEGER NOT NULL, epoch INTEGER NOT NULL, beta REAL, val_accuracy REAL,
  test_accuracy REAL, test_accuracy_float REAL, ebops_train REAL, ebops_exact INTEGER,
  lut_estimate REAL, adder_levels INTEGER, agreement REAL, report TEXT NOT NULL);
CREATE TABLE exports (
  id INTEGER PRIMARY KEY,
  point_id INTEGER NOT NULL REFERENCES points(id) ON DELETE CASCADE,
  format TEXT NOT NULL, path TEXT NOT NULL, created TEXT NOT NULL,
  verified INTEGER, details TEXT NOT NULL DEFAULT '{}');
CREATE INDEX points_by_run ON points(run_id);
CREATE INDEX checkpoints_by_run ON checkpoints(run_id, kind);
)sql";

// Version 2: synthesized resources per point (hgq synth). Counts are columns for plots; the
// full cell census stays as JSON.
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE syntheses (
  id INTEGER PRIMARY KEY,
  point_id INTEGER NOT NULL REFERENCES points(id) ON DELETE CASCADE,
  tool TEXT NOT NULL, family TEXT NOT NULL, top TEXT NOT NULL, export_dir TEXT NOT NULL,
  luts INTEGER NOT NULL, carry INTEGER NOT NULL, ff INTEGER NOT NULL, muxf INTEGER NOT NULL,
  cells INTEGER NOT NULL, cells_by_type TEXT NOT NULL, seconds REAL NOT NULL,
  created TEXT NOT NULL);
CREATE INDEX syntheses_by_point ON syntheses(point_id);
)sql";

// Version 3: the fingerprint of the data a run trained on (data_fingerprint), so a resume or an
// export on changed data is refused instead of silently mixing two data sets.
constexpr const char* kSchemaV3 = R"sql(
ALTER TABLE runs ADD COLUMN data_hash TEXT NOT NULL DEFAULT '';
)sql";

// Version 4: sweeps run as SLURM job arrays — each task's run, the job that last ran it, its
// scheduler state and the snapshot (shard) last merged, so collecting is idempotent.
constexpr const char* kSchemaV4 = R"sql(
CREATE TABLE cluster_tasks (
  sweep_id INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
  task INTEGER NOT NULL,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  folder TEXT NOT NULL,
  job_id TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT '',
  shard_stamp TEXT NOT NULL DEFAULT '',
  collected TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (sweep_id, task));
)sql";

// Version 5: the adder mode of each synthesis. 'shared': the Verilog shared adders between a
// layer's outputs (export/cse.h); 'unshared': one adder tree per output, as every export before
// this version wrote. LUT calibration fits never mix the two.
constexpr const char* kSchemaV5 = R"sql(
ALTER TABLE syntheses ADD COLUMN adder_mode TEXT NOT NULL DEFAULT 'unshared';
)sql";

// Version 6: derived points (`hgq whatif --save`): the point they were derived from and their bit
// edits (JSON). They share the parent's run and checkpoint, and points are only ever deleted a
// run at a time (a resumed or re-collected run), so a derived point never outlives its parent
// and no foreign key is needed (one would also make the column impossible to drop).
constexpr const char* kSchemaV6 = R"sql(
ALTER TABLE points ADD COLUMN parent_id INTEGER;
ALTER TABLE points ADD COLUMN edits TEXT NOT NULL DEFAULT '[]';
)sql";

// kMigrations[v] takes version v to v + 1.
const char* const kMigrations[] = {kSchemaV1, kSchemaV2, kSchemaV3,
                                   kSchemaV4, kSchemaV5, kSchemaV6};

// Column names of every table of `db`, by table.
std::map<std::string, std::set<std::string>> tables_of(Db& db) {
    std::map<std::string, std::set<std::string>> out;
    Stmt t(db, "SELECT name FROM sqlite_schema WHERE type = 'table'");
    while (t.step()) out[t.text(0)];
    for (auto& [table, columns] : out) {
        Stmt c(db, "SELECT name FROM pragma_table_info(?1)");
        c.bind(1, table);
        while (c.step()) columns.insert(c.text(0));
    }
    return out;
}

}  // namespace

// Every table and column schema version `version` has must be there: a study edited by another
// program is refused at open with the table named, instead of failing later with raw SQL (or
// worse, showing what is left).
void check_schema(Db& db, int64_t version) {
    Db reference(":memory:", Db::Mode::ReadWriteCreate);
    for (int64_t v = 0; v < version && v < kSchemaVersion; ++v) reference.exec(kMigrations[v]);
    const auto have = tables_of(db);
    for (const auto& [table, columns] : tables_of(reference)) {
        const auto it = have.find(table);
        if (it == have.end())
            throw Error::bad_input(db.path(),
                                   "the study is damaged: its table '" + table + "' is missing",
                                   kDamagedHint);
        for (const auto& c : columns)
            if (!it->second.count(c))
                throw Error::bad_input(
                    db.path(),
                    "the study is damaged: table '" + table + "' has no column '" + c + "'",
                    kDamagedHint);
    }
}

void Study::migrate() {
    for (int64_t v = db_->pragma_int("user_version"); v < kSchemaVersion; ++v) {
        Transaction t(*db_);
        // Another process may have migrated between our read and the write lock.
        if (db_->pragma_int("user_version") > v) continue;
        db_->exec(kMigrations[v]);
        db_->exec("PRAGMA application_id = " + std::to_string(kApplicationId));
        db_->exec("PRAGMA user_version = " + std::to_string(v + 1));
        t.commit();
    }
}

}  // namespace hgq::store
