// SPDX-License-Identifier: GPL-3.0-or-later
// The study across processes, as users hit it: `hgq sweep` killed with SIGKILL mid-run and
// resumed; two writer processes and a reader on one study at once; broken study files on the
// command line.
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include "cli_process.h"

namespace {

using cli_test::start_hgq;
using Done = cli_test::CliRun;

Done run_hgq(const QStringList& args) {
    return cli_test::run_program(HGQ_CLI, args, 300000);
}

std::vector<nlohmann::json> json_lines(const QByteArray& out) {
    std::vector<nlohmann::json> v;
    for (const QByteArray& l : out.split('\n'))
        if (!l.trimmed().isEmpty()) v.push_back(nlohmann::json::parse(l.toStdString()));
    return v;
}

}  // namespace

class StoreProcessTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString file(const char* name) { return dir_.filePath(name); }

    // The digits demo with a resume state every epoch and `epochs` epochs.
    QString config(int epochs) {
        std::ifstream in(std::string(HGQ_RESOURCES_DIR) + "/examples/digits_mlp.json");
        nlohmann::json j = nlohmann::json::parse(in);
        j["training"]["epochs"] = epochs;
        j["training"]["checkpoint_every_seconds"] = 0;
        const QString path = file(("digits" + std::to_string(epochs) + ".json").c_str());
        std::ofstream(path.toStdString()) << j.dump(1);
        return path;
    }

  private slots:
    void killNineMidRunThenResume() {
        const QString db = file("kill.sqlite");
        QProcess* p =
            start_hgq({"sweep", config(150), "--betas", "1e-6:1e-6:1", "--json", "--db", db}, this);
        QVERIFY(p->waitForStarted());
        QByteArray out;
        while (!out.contains("\"epoch\":40,") && p->waitForReadyRead(60000))
            out += p->readAllStandardOutput();
        QVERIFY(out.contains("\"epoch\":40,"));
        ::kill(pid_t(p->processId()), SIGKILL);  // no handler, no cleanup: a crash
        QVERIFY(p->waitForFinished(30000));
        out += p->readAllStandardOutput();
        int last_epoch = 0;
        for (const auto& j : json_lines(out))
            if (j["event"] == "epoch") last_epoch = j["epoch"].get<int>();

        const Done runs = run_hgq({"runs", "--db", db, "--json"});
        QCOMPARE(runs.code, 0);
        const auto run = json_lines(runs.out.toUtf8()).at(0);
        qInfo("after SIGKILL: last epoch printed %d, stored %d, status %s", last_epoch,
              run["epochs_done"].get<int>(), run["status"].get<std::string>().c_str());
        QCOMPARE(run["status"].get<std::string>(), std::string("interrupted"));
        QVERIFY(run["epochs_done"].get<int>() >= last_epoch);  // every printed epoch is stored

        const Done resumed =
            run_hgq({"resume", QString::number(run["run"].get<int64_t>()), "--db", db, "--json"});
        QCOMPARE(resumed.code, 0);
        const auto lines = json_lines(resumed.out.toUtf8());
        QVERIFY(lines.size() > 2);
        QCOMPARE(lines[1]["epoch"].get<int>(), run["epochs_done"].get<int>() + 1);  // continues
        QCOMPARE(lines.back()["status"].get<std::string>(), std::string("done"));
        QVERIFY(!lines.back()["points"].empty());
        const auto after = json_lines(run_hgq({"runs", "--db", db, "--json"}).out.toUtf8()).at(0);
        QCOMPARE(after["epochs_done"].get<int>(), 150);
        QCOMPARE(after["status"].get<std::string>(), std::string("done"));
    }

    void twoWritersAndAReader() {
        const QString db = file("shared.sqlite");
        const QString cfg = config(80);
        QProcess* a = start_hgq({"train", cfg, "--json", "--db", db}, this);
        QProcess* b = start_hgq(
            {"sweep", cfg, "--seeds", "2", "--parallel", "2", "--json", "--db", db}, this);
        int reads = 0;
        while (a->state() != QProcess::NotRunning || b->state() != QProcess::NotRunning) {
            const Done r = run_hgq({"runs", "--db", db, "--json"});
            // The study may not exist for the first few milliseconds.
            if (r.code == 0)
                ++reads;
            else
                QVERIFY2(r.err.contains("no such study"), qPrintable(r.err));
            QVERIFY(!r.err.contains("locked"));
            a->waitForFinished(50);
            b->waitForFinished(50);
        }
        const QByteArray err = a->readAllStandardError() + b->readAllStandardError();
        qInfo("stderr: %s", err.constData());
        QCOMPARE(a->exitCode(), 0);
        QCOMPARE(b->exitCode(), 0);
        QVERIFY2(!err.contains("locked"), err.constData());
        const auto runs = json_lines(run_hgq({"runs", "--db", db, "--json"}).out.toUtf8());
        QCOMPARE(runs.size(), size_t(3));
        for (const auto& r : runs) {
            QCOMPARE(r["status"].get<std::string>(), std::string("done"));
            QCOMPARE(r["epochs_done"].get<int>(), 80);
            QVERIFY(r["points"].get<int>() > 0);
        }
        qInfo("%d successful reads while 3 runs wrote", reads);
        QVERIFY(reads > 0);
    }

    void brokenStudyFilesOnTheCommandLine() {
        std::ofstream(file("junk.sqlite").toStdString()) << std::string(5000, 'x');
        const Done junk = run_hgq({"runs", "--db", file("junk.sqlite")});
        QCOMPARE(junk.code, 2);
        QVERIFY(junk.err.contains("junk.sqlite") && junk.err.contains("not an HGQ study"));
        const Done missing = run_hgq({"pareto", "--db", file("none.sqlite")});
        QCOMPARE(missing.code, 2);
        QVERIFY(missing.err.contains("none.sqlite"));
        const Done badgrid =
            run_hgq({"sweep", config(3), "--betas", "1e-6:x:3", "--db", file("g.sqlite")});
        QCOMPARE(badgrid.code, 2);
        QVERIFY(badgrid.err.contains("FROM:TO:COUNT"));
    }
};

QTEST_GUILESS_MAIN(StoreProcessTest)
#include "test_store_process.moc"
