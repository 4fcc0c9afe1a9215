// SPDX-License-Identifier: GPL-3.0-or-later
// Sweeps on a real one-node SLURM cluster (scripts/local-slurm.sh: munged, slurmctld, slurmd on
// localhost), driven through the real hgq: submitted as a job array, collected into the study,
// each run identical epoch for epoch to the same run trained here; a task scancelled mid-run
// becomes interrupted and, resubmitted, finishes identical to an uninterrupted run; collecting
// twice duplicates nothing; a truncated shard is refused; sbatch's refusals and a missing sbatch
// are clear errors.
#include <unistd.h>
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_process.h"
#include "store/study.h"

namespace store = hgq::store;

namespace {

QProcessEnvironment slurm_env() {
    auto env = cli_test::cli_environment();
    env.insert("SLURM_CONF", "/var/tmp/hgq-slurm/slurm.conf");
    return env;
}

cli_test::CliRun run_hgq(const QStringList& args, int timeout_ms = 300000) {
    return cli_test::run_program(HGQ_CLI, args, timeout_ms, slurm_env());
}

// Epoch rows that must be equal bit for bit (timings aside).
std::vector<std::vector<double>> epoch_rows(const QString& study, int64_t run) {
    store::Study s(study.toStdString(), store::Study::Open::ReadOnly);
    std::vector<std::vector<double>> rows;
    for (const auto& e : s.epochs(run))
        rows.push_back({double(e.epoch), e.loss, e.cross_entropy, e.train_accuracy, e.val_loss,
                        e.val_accuracy, e.ebops, e.beta, e.lr});
    return rows;
}

int64_t count(const QString& study, const char* table) {
    store::Study s(study.toStdString(), store::Study::Open::ReadOnly);
    store::Stmt c(s.db(), std::string("SELECT COUNT(*) FROM ") + table);
    return c.step() ? c.int64(0) : -1;
}

}  // namespace

class ClusterTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString config_;

    QString file(const QString& name) { return dir_.filePath(name); }

    // The digits example on one thread with a resume state every epoch.
    void write_config(int epochs) {
        std::ifstream in(std::string(HGQ_RESOURCES_DIR) + "/examples/digits_mlp.json");
        nlohmann::json c = nlohmann::json::parse(in);
        c["training"]["threads"] = 1;
        c["training"]["epochs"] = epochs;
        c["training"]["checkpoint_every_seconds"] = 0;
        config_ = file(QString("digits-%1.json").arg(epochs));
        std::ofstream(config_.toStdString()) << c.dump(1);
    }

    // The same run trained here, uninterrupted: the reference a cluster run must equal.
    QString local_run(int seed, int epochs) {
        const QString db = file(QString("local-%1-%2.sqlite").arg(seed).arg(epochs));
        const auto r = run_hgq({"train", config_, "--seed", QString::number(seed), "--epochs",
                                QString::number(epochs), "--threads", "1", "--db", db});
        if (r.code != 0) qWarning("%s", qPrintable(r.err));
        return db;
    }

  private slots:
    void initTestCase() {
        if (::geteuid() != 0) QSKIP("the local SLURM cluster needs root (scripts/local-slurm.sh)");
        const auto up = cli_test::run_program(
            "bash", {QString(HGQ_SOURCE_DIR) + "/scripts/local-slurm.sh", "start"}, 240000);
        QVERIFY2(up.code == 0, qPrintable(up.out + up.err));
        qInfo("%s", qPrintable(up.out.trimmed()));
    }

    void sweepRunsOnTheClusterIdenticalToLocalRuns() {
        write_config(40);
        const QString db = file("sweep.sqlite");
        QElapsedTimer clock;
        clock.start();
        const auto sub = run_hgq({"sweep", config_, "--seeds", "4", "--backend", "slurm",
                                  "--max-parallel", "2", "--db", db, "--json"});
        QVERIFY2(sub.code == 0, qPrintable(sub.err));
        const auto ev = nlohmann::json::parse(sub.out.toStdString());
        QCOMPARE(ev["event"].get<std::string>(), std::string("submitted"));
        QCOMPARE(ev["tasks"].get<int>(), 4);
        QVERIFY(!ev["job_id"].get<std::string>().empty());
        const QString folder = QString::fromStdString(ev["folder"].get<std::string>());
        for (const char* f : {"/job.sbatch", "/tasks.json", "/config.json"})
            QVERIFY2(QFileInfo::exists(folder + f), f);
        const auto col = run_hgq({"cluster", "collect", "--wait", "--db", db, "--json"});
        QVERIFY2(col.code == 0, qPrintable(col.err));
        qInfo("submitted and collected 4 tasks in %.1f s", clock.elapsed() / 1000.0);
        store::Study s(db.toStdString(), store::Study::Open::ReadOnly);
        const auto runs = s.runs();
        QCOMPARE(int(runs.size()), 4);
        for (size_t i = 0; i < runs.size(); ++i) {
            QCOMPARE(runs[i].status, std::string("done"));
            QVERIFY(!s.points(runs[i].id, false).empty());
            const QString local = local_run(int(runs[i].seed), 40);
            QVERIFY(epoch_rows(db, runs[i].id) == epoch_rows(local, 1));
        }
        // Collecting again merges nothing new and duplicates nothing.
        const int64_t epochs = count(db, "epochs"), points = count(db, "points"),
                      checkpoints = count(db, "checkpoints");
        QCOMPARE(epochs, int64_t(4 * 40));
        QCOMPARE(run_hgq({"cluster", "collect", "--db", db}).code, 0);
        QCOMPARE(count(db, "epochs"), epochs);
        QCOMPARE(count(db, "points"), points);
        QCOMPARE(count(db, "checkpoints"), checkpoints);
        const auto st = run_hgq({"cluster", "status", "--db", db});
        QVERIFY(st.out.contains("COMPLETED") && st.out.contains("done"));
    }

    void aScancelledTaskResumesIdenticalToAnUninterruptedRun() {
        write_config(800);
        const QString db = file("cancel.sqlite");
        const auto sub =
            run_hgq({"sweep", config_, "--seeds", "2", "--backend", "slurm", "--db", db, "--json"});
        QVERIFY2(sub.code == 0, qPrintable(sub.err));
        const std::string job =
            nlohmann::json::parse(sub.out.toStdString())["job_id"].get<std::string>();
        // Task 1 stopped by the scheduler once it has stored some epochs.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                run_hgq({"cluster", "collect", "--db", db});
                store::Study s(db.toStdString(), store::Study::Open::ReadOnly);
                return s.run(2).epochs_done > 20;
            }(),
            120000);
        QCOMPARE(cli_test::run_program("scancel", {QString::fromStdString(job) + "_1"}, 30000,
                                       slurm_env())
                     .code,
                 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                run_hgq({"cluster", "collect", "--db", db});
                store::Study s(db.toStdString(), store::Study::Open::ReadOnly);
                return s.run(2).status == "interrupted";
            }(),
            120000);
        const auto re = run_hgq({"cluster", "resubmit", "1", "--db", db, "--json"});
        QVERIFY2(re.code == 0, qPrintable(re.err));
        QCOMPARE(nlohmann::json::parse(re.out.toStdString())["tasks"].get<int>(), 1);
        QCOMPARE(run_hgq({"cluster", "collect", "--wait", "--db", db}).code, 0);
        store::Study s(db.toStdString(), store::Study::Open::ReadOnly);
        QCOMPARE(s.run(2).status, std::string("done"));
        QVERIFY(epoch_rows(db, 2) == epoch_rows(local_run(int(s.run(2).seed), 800), 1));
    }

    void aTruncatedShardIsNeverMerged() {
        const QString db = file("sweep.sqlite");
        store::Study before(db.toStdString(), store::Study::Open::ReadOnly);
        const auto tasks = before.cluster_tasks(1);
        QVERIFY(!tasks.empty());
        const QString shard = QString::fromStdString(tasks[0].folder) + "/shards/task-0.sqlite";
        QFile f(shard);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.resize(f.size() / 3));
        f.close();
        const int64_t epochs = count(db, "epochs");
        const auto col = run_hgq({"cluster", "collect", "--sweep", "1", "--db", db});
        QCOMPARE(col.code, 0);
        QVERIFY2(col.err.contains("task-0.sqlite") && col.err.contains("skipped"),
                 qPrintable(col.err));
        QCOMPARE(count(db, "epochs"), epochs);
        QCOMPARE(before.run(tasks[0].run_id).status, std::string("done"));
    }

    void sbatchRefusalsAndAMissingSbatchAreClear() {
        write_config(10);
        const QString db = file("refused.sqlite");
        const auto bad = run_hgq({"sweep", config_, "--seeds", "2", "--backend", "slurm",
                                  "--partition", "nosuch", "--db", db});
        QCOMPARE(bad.code, 2);
        QVERIFY2(bad.err.contains("sbatch") && bad.err.contains("partition"), qPrintable(bad.err));
        {
            store::Study s(db.toStdString(), store::Study::Open::ReadOnly);
            for (const auto& r : s.runs()) QCOMPARE(r.status, std::string("failed"));
        }
        auto env = slurm_env();
        env.insert("PATH", "/nonexistent");
        const auto missing = cli_test::run_program(HGQ_CLI,
                                                   {"sweep", config_, "--seeds", "1", "--backend",
                                                    "slurm", "--db", file("nosbatch.sqlite")},
                                                   60000, env);
        QCOMPARE(missing.code, 1);
        QVERIFY2(missing.err.contains("slurm-client"), qPrintable(missing.err));
        const auto time = run_hgq(
            {"sweep", config_, "--seeds", "1", "--backend", "slurm", "--time", "soon", "--db", db});
        QCOMPARE(time.code, 2);
        QVERIFY(time.err.contains("--time soon"));
    }
};

QTEST_GUILESS_MAIN(ClusterTest)
#include "test_cluster.moc"
