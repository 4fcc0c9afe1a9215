// SPDX-License-Identifier: GPL-3.0-or-later
// Merging another study into this one: every id of the other file is shifted past this file's
// largest, so references (run → sweep, epoch → run, point → checkpoint, export → point) stay
// consistent. One transaction: a failure leaves this study as it was.
#include "core/error.h"
#include "store/study_transfer.h"

namespace hgq::store {
namespace {

int64_t max_id(Db& db, const std::string& table) {
    Stmt s(db, "SELECT IFNULL(MAX(id), 0) FROM main." + table);
    return s.step() ? s.int64(0) : 0;
}

int64_t copy(Db& db, const std::string& sql, const std::vector<int64_t>& offsets) {
    Stmt s(db, sql);
    for (size_t i = 0; i < offsets.size(); ++i) s.bind(int(i) + 1, offsets[i]);
    s.run();
    return db.changes();
}

}  // namespace

MergeCounts merge_study(Study& into, const std::string& other_path) {
    int64_t other_version = 0;
    {
        Study other(other_path, Study::Open::ReadOnly);  // validates: a study, a known version
        if (other.path() == into.path())
            throw Error::bad_input(other_path, "is the study being merged into");
        other_version = other.schema_version();
    }
    Db& db = into.db();
    Stmt(db, "ATTACH DATABASE ?1 AS other").bind(1, other_path).run();
    MergeCounts n;
    try {
        Transaction t(db);
        const int64_t sw = max_id(db, "sweeps"), ru = max_id(db, "runs"),
                      ck = max_id(db, "checkpoints"), pt = max_id(db, "points"),
                      ex = max_id(db, "exports");
        n.sweeps = copy(db,
                        "INSERT INTO main.sweeps SELECT id + ?1, name, created, spec "
                        "FROM other.sweeps",
                        {sw});
        // A run the other study still shows as running cannot be running here.
        n.runs = copy(db,
                      "INSERT INTO main.runs(id, sweep_id, name, config, config_file, seed, "
                      "status, error, owner, created, started, finished, epochs_planned, "
                      "epochs_done, train_seconds, store_seconds, data_hash) SELECT id + ?1, "
                      "CASE WHEN sweep_id IS NULL THEN NULL ELSE sweep_id + ?2 END, name, "
                      "config, config_file, seed, CASE WHEN status IN ('running','queued') THEN "
                      "'interrupted' ELSE status END, error, '', created, started, finished, "
                      "epochs_planned, epochs_done, train_seconds, store_seconds, " +
                          std::string(other_version >= 3 ? "data_hash" : "''") + " FROM other.runs",
                      {ru, sw});
        n.epochs = copy(db,
                        "INSERT INTO main.epochs SELECT run_id + ?1, epoch, loss, "
                        "cross_entropy, train_accuracy, val_loss, val_accuracy, ebops, beta, "
                        "lr, seconds, samples_per_second, kept FROM other.epochs",
                        {ru});
        n.checkpoints = copy(db,
                             "INSERT INTO main.checkpoints SELECT id + ?1, run_id + ?2, "
                             "epoch, kind, val_accuracy, val_loss, ebops, beta, params, "
                             "optimizer, adam_steps FROM other.checkpoints",
                             {ck, ru});
        // Derived points (version 6) keep their parents, renumbered like every point.
        const bool derived = other_version >= 6;
        n.points = copy(db,
                        std::string("INSERT INTO main.points(id, run_id, checkpoint_id, rank, "
                                    "epoch, beta, val_accuracy, test_accuracy, "
                                    "test_accuracy_float, ebops_train, ebops_exact, lut_estimate, "
                                    "adder_levels, agreement, report, parent_id, edits) SELECT "
                                    "id + ?1, run_id + ?2, CASE WHEN checkpoint_id IS NULL THEN "
                                    "NULL ELSE checkpoint_id + ?3 END, rank, epoch, beta, "
                                    "val_accuracy, test_accuracy, test_accuracy_float, "
                                    "ebops_train, ebops_exact, lut_estimate, adder_levels, "
                                    "agreement, report, ") +
                            (derived ? "CASE WHEN parent_id IS NULL THEN NULL ELSE parent_id + ?1 "
                                       "END, edits"
                                     : "NULL, '[]'") +
                            " FROM other.points ORDER BY id",
                        {pt, ru, ck});
        n.exports = copy(db,
                         "INSERT INTO main.exports SELECT id + ?1, point_id + ?2, format, "
                         "path, created, verified, details FROM other.exports",
                         {ex, pt});
        // A version-1 study has no syntheses yet.
        Stmt has(db, "SELECT COUNT(*) FROM other.sqlite_schema WHERE name = 'syntheses'");
        if (has.step() && has.int64(0) > 0) {
            // Before version 5 every synthesis was of unshared adders.
            Stmt mode(db,
                      "SELECT COUNT(*) FROM pragma_table_info('syntheses', 'other') "
                      "WHERE name = 'adder_mode'");
            const bool v5 = mode.step() && mode.int64(0) > 0;
            n.syntheses = copy(db,
                               std::string("INSERT INTO main.syntheses(id, point_id, tool, family, "
                                           "top, export_dir, luts, carry, ff, muxf, cells, "
                                           "cells_by_type, seconds, created, adder_mode) SELECT "
                                           "id + ?1, point_id + ?2, tool, family, top, "
                                           "export_dir, luts, carry, ff, muxf, cells, "
                                           "cells_by_type, seconds, created, ") +
                                   (v5 ? "adder_mode" : "'unshared'") + " FROM other.syntheses",
                               {max_id(db, "syntheses"), pt});
        }
        t.commit();
    } catch (...) {
        db.exec("DETACH DATABASE other");
        throw;
    }
    db.exec("DETACH DATABASE other");
    return n;
}

}  // namespace hgq::store
