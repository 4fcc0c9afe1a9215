// SPDX-License-Identifier: GPL-3.0-or-later
// The study store: every table round-trips, checkpoints reload into an identical model, a
// resumed run equals an uninterrupted one epoch for epoch, damaged and foreign files give clear
// errors, and merging and CSV transfer keep ids and values consistent.
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config/experiment.h"
#include "core/error.h"
#include "jobs/run_job.h"
#include "store/study_transfer.h"
#include "store/tensor_blob.h"

using namespace hgq;
using namespace hgq::store;

namespace {

// A stored run executed on its own connection, as a sweep worker runs it.
std::string execute_run(const std::string& path, int64_t run, const jobs::RunOptions& opt,
                        const jobs::RunHooks& hooks) {
    Study study(path, Study::Open::Existing);
    return jobs::run_job(study, run, opt, hooks);
}

// The digits demo, shortened: small enough to train in well under a second.
nlohmann::json digits_config(int epochs) {
    std::ifstream in(std::string(HGQ_RESOURCES_DIR) + "/examples/digits_mlp.json");
    nlohmann::json j = nlohmann::json::parse(in);
    j["training"]["epochs"] = epochs;
    j["training"]["threads"] = 1;
    j["training"]["checkpoint_every_seconds"] = 0;  // a resume state every epoch
    j["beta"] = {{{"until_epoch", 2}, {"value", 1e-6}},
                 {{"until_epoch", epochs}, {"from", 1e-6}, {"to", 1e-4}, {"shape", "geometric"}}};
    return j;
}

const std::string kConfigFile = std::string(HGQ_RESOURCES_DIR) + "/examples/digits_mlp.json";

int64_t add_run(Study& s, int epochs, int64_t sweep = 0) {
    return s.create_run(sweep, "digits", digits_config(epochs), kConfigFile, 1, epochs);
}

jobs::RunOptions exec_options(const std::atomic<bool>* cancel = nullptr) {
    jobs::RunOptions o;
    o.threads = 1;
    o.resources_dir = HGQ_RESOURCES_DIR;
    o.cancel = cancel;
    return o;
}

template <class F>
void expect_error(F&& f, std::initializer_list<const char*> must_mention) {
    try {
        f();
    } catch (const Error& e) {
        qInfo("error: %s", e.what());
        for (const char* s : must_mention)
            QVERIFY2(std::string(e.what()).find(s) != std::string::npos, s);
        return;
    }
    QFAIL("no error");
}

}  // namespace

class StoreTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string file(const char* name) { return dir_.filePath(name).toStdString(); }

  private slots:
    void tensorBlobRoundTripIsExact() {
        nlohmann::json snap = {
            {"dense1", {{"W", {0.1f, -2.5f, 3e-8f}}, {"F_w", {2.0, 7.0}}}},
            {"bn", {{"mean", {0.1, 1.0 / 3.0}}, {"n", 5.0}, {"empty", nlohmann::json::array()}}},
                               {"flatten3", nullptr}};  // a layer without parameters
        const std::string blob = encode_snapshot(snap);
        const nlohmann::json back = decode_snapshot(blob, "test");
        QCOMPARE(back.dump(), snap.dump());  // f32 values stay f32-exact, f64 values f64-exact
        std::string damaged = blob;
        damaged[20] ^= 0x10;
        expect_error([&] { decode_snapshot(damaged, "study: checkpoints row 7"); },
                     {"checkpoints row 7", "CRC-32"});
        expect_error([&] { decode_snapshot(blob.substr(0, 10), "row 8"); }, {"row 8"});
    }

    void everyTableRoundTripsAndCheckpointsReload() {
        Study s(file("a.sqlite"), Study::Open::CreateIfMissing);
        const int64_t sweep = s.create_sweep("grid", {{"betas", "1e-6:1e-4:2"}});
        const int64_t run = add_run(s, 6, sweep);
        QCOMPARE(execute_run(s.path(), run, exec_options(), {}), std::string("done"));
        const RunRecord r = s.run(run);
        QCOMPARE(r.status, std::string("done"));
        QCOMPARE(r.sweep_id, sweep);
        QCOMPARE(r.epochs_done, 6);
        QCOMPARE(r.config, digits_config(6));
        QVERIFY(r.train_seconds > 0 && !r.started.empty() && !r.finished.empty());
        QCOMPARE(s.sweeps().at(0).spec["betas"].get<std::string>(), std::string("1e-6:1e-4:2"));
        const auto epochs = s.epochs(run);
        QCOMPARE(epochs.size(), size_t(6));
        QVERIFY(epochs[5].val_accuracy > 0.5 && epochs[5].ebops > 0);
        const auto points = s.points(run);
        QVERIFY(!points.empty());
        QCOMPARE(r.n_points, int(points.size()));

        // A point's stored parameters load into a fresh model that snapshots identically.
        const ExperimentConfig cfg = parse_experiment(r.config, r.config_file);
        const Splits data = load_experiment_data(cfg, HGQ_RESOURCES_DIR);
        Model m(cfg.model, data.train.sample_shape, data.train.n_classes, 0);
        const nlohmann::json snap = s.point_snapshot(points[0].id);
        m.restore(snap);
        QCOMPARE(m.snapshot().dump(), snap.dump());
        const PointRecord p = s.point(points[0].id);
        QCOMPARE(p.ebops_exact, points[0].ebops_exact);
        QVERIFY(p.report["layers"].size() == 3 && p.test_accuracy > 0.5);
        const auto st = s.resume_state(run);
        QVERIFY(st && st->epochs_done == 6 && st->adam_steps > 0);
        QVERIFY(st->optimizer["m"].size() == m.params().size());
    }

    void resumedRunEqualsUninterruptedRun() {
        const std::string path = file("resume.sqlite");
        Study s(path, Study::Open::CreateIfMissing);
        const int64_t straight = add_run(s, 8), stopped = add_run(s, 8);
        execute_run(path, straight, exec_options(), {});
        std::atomic<bool> cancel{false};
        jobs::RunHooks ev;
        // Progress comes from the training thread: stop in the first batch of epoch 5.
        ev.on_progress = [&](int64_t, int epoch, int64_t, int64_t) {
            cancel = cancel || epoch == 5;
        };
        QCOMPARE(execute_run(path, stopped, exec_options(&cancel), ev), std::string("cancelled"));
        QCOMPARE(s.run(stopped).epochs_done, 4);
        QCOMPARE(execute_run(path, stopped, exec_options(), {}), std::string("done"));
        const auto a = s.epochs(straight), b = s.epochs(stopped);
        QCOMPARE(a.size(), b.size());
        double max_diff = 0;
        for (size_t e = 0; e < a.size(); ++e) {
            max_diff = std::max({max_diff, std::abs(a[e].loss - b[e].loss),
                                 std::abs(a[e].val_accuracy - b[e].val_accuracy),
                                 std::abs(a[e].ebops - b[e].ebops)});
        }
        qInfo("max |difference| over 8 epochs of loss, accuracy, EBOPs: %g", max_diff);
        QCOMPARE(max_diff, 0.0);
        const auto pa = s.points(straight), pb = s.points(stopped);
        QCOMPARE(pa.size(), pb.size());
        for (size_t i = 0; i < pa.size(); ++i) {
            QCOMPARE(pa[i].ebops_exact, pb[i].ebops_exact);
            QCOMPARE(pa[i].test_accuracy, pb[i].test_accuracy);
        }
    }

    void orphanedRunsBecomeInterrupted() {
        Study s(file("orphan.sqlite"), Study::Open::CreateIfMissing);
        const int64_t run = add_run(s, 3);
        Stmt(s.db(), "UPDATE runs SET status = 'running', owner = 'nohost-x:1:1' WHERE id = ?1")
            .bind(1, run)
            .run();
        QCOMPARE(s.mark_orphans_interrupted(), 0);  // another host's run: cannot tell, left alone
        char host[256] = {};
        gethostname(host, sizeof host - 1);
        Stmt(s.db(), "UPDATE runs SET owner = ?2 WHERE id = ?1")
            .bind(1, run)
            .bind(2, std::string(host) + ":999999999:1")
            .run();
        QCOMPARE(s.mark_orphans_interrupted(), 1);
        QCOMPARE(s.run(run).status, std::string("interrupted"));
        s.mark_running(run);
        QCOMPARE(s.mark_orphans_interrupted(), 0);  // this very process is alive
    }

    void foreignDamagedAndNewerFilesAreRefused() {
        {
            std::ofstream(file("text.sqlite"))
                << "just some text, long enough to be a header....."
                   "................................................";
        }
        expect_error([&] { Study(file("text.sqlite"), Study::Open::Existing); },
                     {"text.sqlite", "not an HGQ study"});
        {
            Db other(file("other.sqlite"), Db::Mode::ReadWriteCreate);
            other.exec("CREATE TABLE t(x)");
        }
        expect_error([&] { Study(file("other.sqlite"), Study::Open::Existing); },
                     {"other.sqlite", "not an HGQ study"});
        {
            Study s(file("newer.sqlite"), Study::Open::CreateIfMissing);
            s.db().exec("PRAGMA user_version = 99");
        }
        expect_error([&] { Study(file("newer.sqlite"), Study::Open::Existing); },
                     {"newer.sqlite", "version 99", "upgrade"});
        expect_error([&] { Study(file("missing.sqlite"), Study::Open::Existing); },
                     {"missing.sqlite", "no such study"});
        // A study cut short (a partial copy) is detected on open or on first read.
        {
            Study s(file("full.sqlite"), Study::Open::CreateIfMissing);
            const int64_t run = add_run(s, 2);
            execute_run(s.path(), run, exec_options(), {});
            s.db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        std::filesystem::copy_file(file("full.sqlite"), file("cut.sqlite"));
        std::filesystem::resize_file(file("cut.sqlite"), 4096 + 100);
        expect_error(
            [&] {
                Study s(file("cut.sqlite"), Study::Open::Existing);
                for (const auto& r : s.runs()) s.front_checkpoints(r.id);
                s.points();
            },
            {"cut.sqlite"});
    }

    void writingAStudyOpenedReadOnlyIsRefused() {
        // What a read-only file gives (root ignores file modes, so the test opens it read-only).
        {
            Study s(file("ro.sqlite"), Study::Open::CreateIfMissing);
        }
        Study s(file("ro.sqlite"), Study::Open::ReadOnly);
        expect_error([&] { add_run(s, 3); }, {"ro.sqlite", "readonly", "writable"});
        QVERIFY(s.runs().empty());
    }

    void readOnlyFolderGivesAClearError() {
        if (geteuid() == 0) QSKIP("root ignores folder permissions");
        const std::string ro = file("ro");
        std::filesystem::create_directory(ro);
        std::filesystem::permissions(
            ro, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
        expect_error([&] { Study(ro + "/s.sqlite", Study::Open::CreateIfMissing); },
                     {"ro/s.sqlite", "writable"});
    }

    void mergeKeepsIdsConsistent() {
        const std::string a = file("merge-a.sqlite"), b = file("merge-b.sqlite");
        for (const auto& path : {a, b}) {
            Study s(path, Study::Open::CreateIfMissing);
            const int64_t sweep = s.create_sweep("grid", {});
            execute_run(path, add_run(s, 3, sweep), exec_options(), {});
        }
        Study sa(a, Study::Open::Existing);
        const size_t points_a = sa.points().size(),
                     points_b = Study(b, Study::Open::ReadOnly).points().size();
        const MergeCounts n = merge_study(sa, b);
        QCOMPARE(n.runs, int64_t(1));
        QCOMPARE(size_t(n.points), points_b);
        QCOMPARE(sa.runs().size(), size_t(2));
        QCOMPARE(sa.sweeps().size(), size_t(2));
        QCOMPARE(sa.points().size(), points_a + points_b);
        const RunRecord merged = sa.runs().back();
        QCOMPARE(merged.sweep_id, sa.sweeps().back().id);
        QCOMPARE(sa.epochs(merged.id).size(), size_t(3));
        for (const PointRecord& p : sa.points(merged.id)) {
            Stmt c(sa.db(), "SELECT run_id, epoch FROM checkpoints WHERE id = ?1");
            c.bind(1, p.checkpoint_id);
            QVERIFY(c.step());
            QCOMPARE(c.int64(0), merged.id);  // the point's checkpoint belongs to the merged run
            QCOMPARE(int(c.int64(1)), p.epoch);
            QVERIFY(!sa.point_snapshot(p.id).empty());
        }
        expect_error([&] { merge_study(sa, file("text.sqlite")); }, {"text.sqlite"});
        QCOMPARE(sa.runs().size(), size_t(2));  // a failed merge changes nothing
    }

    void pointsCsvExportAndImport() {
        Study s(file("merge-a.sqlite"), Study::Open::Existing);
        export_points_csv(s, file("points.csv"));
        Study t(file("imported.sqlite"), Study::Open::CreateIfMissing);
        const int64_t run = import_points_csv(t, file("points.csv"));
        const auto in = s.points(), out = t.points(run);
        QCOMPARE(out.size(), in.size());
        for (size_t i = 0; i < in.size(); ++i) {
            QCOMPARE(out[i].ebops_exact, in[i].ebops_exact);
            QCOMPARE(out[i].test_accuracy, in[i].test_accuracy);  // %.17g: exact
            QCOMPARE(out[i].beta, in[i].beta);
        }
        QCOMPARE(t.run(run).status, std::string("imported"));
        expect_error([&] { t.point_snapshot(out[0].id); }, {"imported from CSV"});
        { std::ofstream(file("bad.csv")) << "epoch,test_accuracy,ebops_exact\n3,0.9,100\n4,x,5\n"; }
        expect_error([&] { import_points_csv(t, file("bad.csv")); },
                     {"bad.csv:line 3", "column 2"});
        { std::ofstream(file("nocol.csv")) << "epoch,acc\n3,0.9\n"; }
        expect_error([&] { import_points_csv(t, file("nocol.csv")); },
                     {"nocol.csv:line 1", "test_accuracy"});
        expect_error([&] { export_points_csv(s, "/nonexistent-dir/p.csv"); },
                     {"/nonexistent-dir/p.csv", "writable"});
    }
};

QTEST_GUILESS_MAIN(StoreTest)
#include "test_store.moc"
