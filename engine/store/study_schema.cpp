// SPDX-License-Identifier: GPL-3.0-or-later
// Opening a study: pragmas, the application id that tells a study from any other SQLite file,
// and `PRAGMA user_version` migrations, each applied in one transaction.
#include <filesystem>

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

const char* const kMigrations[] = {kSchemaV1,
                                   kSchemaV2};  // kMigrations[v] takes version v to v + 1

}  // namespace

Study::Study(const std::string& path, Open how) {
    if (how != Open::CreateIfMissing && !std::filesystem::exists(path))
        throw Error::bad_input(path, "no such study", "check the path or pass --db");
    if (std::filesystem::is_directory(path))
        throw Error::bad_input(path, "is a folder, not a study file", "name a .sqlite file");
    db_ = std::make_unique<Db>(path, how == Open::ReadOnly   ? Db::Mode::ReadOnly
                                     : how == Open::Existing ? Db::Mode::ReadWrite
                                                             : Db::Mode::ReadWriteCreate);
    // No tables yet: a new file, or one another process is creating right now (its journal
    // mode is already written, its schema not yet committed). Read before the header fields:
    // once tables are seen, the creator's application id is committed too, while the reverse
    // order can see the id still unset and then the tables. Reading page 1 also detects a file
    // that is not SQLite at all (SQLITE_NOTADB).
    const bool empty = [&] {
        Stmt s(*db_, "SELECT COUNT(*) FROM sqlite_schema");
        return s.step() && s.int64(0) == 0;
    }();
    const int64_t app = db_->pragma_int("application_id");
    const int64_t version = db_->pragma_int("user_version");
    if (!empty && app != kApplicationId)
        throw Error::bad_input(path, "is an SQLite database but not an HGQ study",
                               "open a study file written by HGQ Studio or choose a new name");
    if (version > kSchemaVersion)
        throw Error::bad_input(path,
                               "study schema version " + std::to_string(version) +
                                   " is newer than this HGQ Studio understands (" +
                                   std::to_string(kSchemaVersion) + ")",
                               "upgrade HGQ Studio to open it");
    db_->exec("PRAGMA foreign_keys = ON");
    if (how == Open::ReadOnly) {
        // Version 1 lacks only the syntheses table: readable as it is (syntheses() is empty).
        if (version < 1)
            throw Error::bad_input(path, "the study needs an upgrade but is opened read-only",
                                   "open it once with write access");
        schema_version_ = version;
        return;
    }
    // Persistent: readers never block the writer. Another process creating the same file may
    // hold it for a moment (SQLite does not wait by itself here).
    db_->exec_retrying("PRAGMA journal_mode = WAL", 30000);
    // NORMAL in WAL mode: a power cut may lose the last commits, never corrupt the file.
    db_->exec("PRAGMA synchronous = NORMAL");
    migrate();
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
