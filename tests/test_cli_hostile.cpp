// SPDX-License-Identifier: GPL-3.0-or-later
// The real `hgq` against what a careless or hostile user gives it (issue 14): outputs that would
// overwrite the study or a file, out-of-range integers, export names that do not compile, Tcl
// injection in a part name, a NaN clock, cut test vectors, stale export files, read-only and
// damaged studies, a FIFO, data that cannot train, a model too big for the machine, a resume on
// changed data. Every case: exit 2, a message naming what is wrong, never "internal error", and
// nothing written or lost.
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>
#include <unistd.h>
#include <csignal>

#include <nlohmann/json.hpp>

#include "cli_process.h"
#include "store/study.h"

namespace {

using Run = cli_test::CliRun;

QString example(const char* name) {
    return QString(HGQ_RESOURCES_DIR) + "/examples/" + name;
}

void write(const QString& path, const QByteArray& text) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

// A CSV of `rows` rows, 8 features, labels i % classes.
QByteArray csv(int rows, int classes) {
    QByteArray t = "a,b,c,d,e,f,g,h,class\n";
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < 8; ++c) t += QByteArray::number((r * 7 + c * 3) % 11) + ",";
        t += QByteArray::number(r % classes) + "\n";
    }
    return t;
}

bool study_sound(const QString& path) {
    hgq::store::Study s(path.toStdString(), hgq::store::Study::Open::ReadOnly);
    hgq::store::Stmt check(s.db(), "PRAGMA integrity_check");
    return check.step() && check.text(0) == "ok" && !s.runs().empty();
}

}  // namespace

class CliHostileTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString study_;

    QString file(const QString& name) { return dir_.filePath(name); }

    Run hgq(const QStringList& args) { return cli_test::run_program(HGQ_CLI, args, 120000); }

    void expect_bad_input(const QStringList& args, const QStringList& must_mention) {
        const Run r = hgq(args);
        qInfo().noquote() << "stderr:" << r.err.trimmed().left(300);
        QCOMPARE(r.code, 2);
        for (const QString& s : must_mention) QVERIFY2(r.err.contains(s), qPrintable(s));
        QVERIFY(!r.err.contains("internal error"));
    }

  private slots:
    void initTestCase() {
        study_ = file("s.sqlite");
        const Run r = hgq({"train", example("digits_mlp.json"), "--epochs", "20", "--db", study_});
        QVERIFY2(r.code == 0, qPrintable(r.err));
    }

    void exportCsvNeverOverwritesTheStudyOrAFile() {
        expect_bad_input({"study", "export-csv", study_, "--db", study_}, {"s.sqlite", "reads"});
        expect_bad_input({"study", "export-csv", study_, "--force", "--db", study_},
                         {"s.sqlite", "reads"});
        expect_bad_input({"study", "export-csv", study_ + "-wal", "--force", "--db", study_},
                         {"s.sqlite-wal"});
        QVERIFY(study_sound(study_));
        write(file("mine.json"), "{\"keep\": true}\n");
        expect_bad_input({"study", "export-csv", file("mine.json"), "--db", study_},
                         {"mine.json", "exists", "--force"});
        QFile kept(file("mine.json"));
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QCOMPARE(kept.readAll(), QByteArray("{\"keep\": true}\n"));
        QCOMPARE(hgq({"study", "export-csv", file("p.csv"), "--db", study_}).code, 0);
        QCOMPARE(hgq({"study", "export-csv", file("p.csv"), "--force", "--db", study_}).code, 0);
        QVERIFY(QFileInfo(file("p.csv")).size() > 100);
    }

    void integersOutOfRangeAreRefused() {
        expect_bad_input({"train", example("digits_mlp.json"), "--seed", "99999999999999999999",
                          "--db", file("x.sqlite")},
                         {"--seed", "out of range"});
        expect_bad_input({"inspect", "--point", "1e3", "--db", study_}, {"--point", "integer"});
        QVERIFY(!QFileInfo::exists(file("x.sqlite")));
    }

    void exportNamesPartsAndClocksAreChecked() {
        const QString out = file("bad-export");
        const QString long_name(5000, 'a');
        const QList<QPair<QStringList, QString>> cases = {
            {{"--name", "int"}, "keyword"},
            {{"--name", "main"}, "--name main"},
            {{"--name", "dense1"}, "layers"},
            {{"--name", "input_t"}, "--name input_t"},
            {{"--name", "x-y"}, "identifier"},
            {{"--name", long_name}, "at most 64"},
            {{"--name", "module", "--format", "verilog"}, "Verilog"},
            {{"--part", "xc7[exec touch X]"}, "part"},
            {{"--part", "xcvu9p\"; puts hi; #"}, "part"},
            {{"--clock-ns", "nan"}, "--clock-ns"},
            {{"--clock-ns", "inf"}, "--clock-ns"},
        };
        for (const auto& [opts, mention] : cases) {
            expect_bad_input(
                QStringList{"export", "--point", "1", "--out", out, "--db", study_} + opts,
                {mention});
            QVERIFY2(!QFileInfo::exists(out), qPrintable(opts.join(' ')));
        }
        // Nothing half-written beside it either.
        QCOMPARE(QDir(dir_.path()).entryList({".bad-export*"}, QDir::AllEntries | QDir::Hidden),
                 QStringList());
    }

    void forceReplacesAnExportWholeAndNothingElse() {
        const QString out = file("ex");
        QCOMPARE(hgq({"export", "--point", "1", "--out", out, "--db", study_}).code, 0);
        write(out + "/stale.txt", "old");
        QVERIFY(QDir().mkpath(out + "/hgq_model_prj/solution1"));
        expect_bad_input({"export", "--point", "1", "--out", out, "--db", study_},
                         {"not empty", "--force"});
        QCOMPARE(hgq({"export", "--point", "1", "--out", out, "--force", "--db", study_}).code, 0);
        QVERIFY(!QFileInfo::exists(out + "/stale.txt"));
        QVERIFY(!QFileInfo::exists(out + "/hgq_model_prj"));
        QVERIFY(QFileInfo::exists(out + "/hgq_export.json"));
        // --force never empties a folder that holds no export.
        const QString mine = file("thesis");
        QVERIFY(QDir().mkpath(mine));
        write(mine + "/thesis.tex", "\\section{}");
        expect_bad_input({"export", "--point", "1", "--out", mine, "--force", "--db", study_},
                         {"thesis", "hgq_export.json"});
        QVERIFY(QFileInfo::exists(mine + "/thesis.tex"));
    }

    void verifyRefusesCutTestVectors() {
        const QString out = file("cut");
        QCOMPARE(hgq({"export", "--point", "1", "--out", out, "--db", study_}).code, 0);
        for (const char* name : {"/tb_data/tb_input_codes.dat", "/tb_data/tb_output_codes.dat"}) {
            QFile f(out + name);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QList<QByteArray> lines = f.readAll().split('\n');
            f.close();
            QVERIFY(lines.size() > 20);
            write(out + name, lines.mid(0, 9).join('\n') + "\n");
        }
        expect_bad_input({"verify", out}, {"tb_input_codes.dat", "9 test vectors"});
    }

    void damagedAndOddStudyFilesAreNamed() {
        for (const char* drop : {"DROP TABLE epochs", "ALTER TABLE points DROP COLUMN agreement"}) {
            const QString copy = file("damaged.sqlite");
            QFile::remove(copy);
            QVERIFY(QFile::copy(study_, copy));
            {
                hgq::store::Db db(copy.toStdString(), hgq::store::Db::Mode::ReadWrite);
                db.exec(drop);
            }
            expect_bad_input({"runs", "--db", copy}, {"damaged.sqlite", "damaged", "copy"});
            expect_bad_input({"pareto", "--db", copy}, {"damaged", "copy"});
        }
        QVERIFY(::mkfifo(file("fifo.sqlite").toLocal8Bit().constData(), 0600) == 0);
        expect_bad_input({"runs", "--db", file("fifo.sqlite")}, {"fifo.sqlite", "regular file"});
        // Inputs that never end or never arrive: refused at once, not read until memory runs out.
        expect_bad_input({"study", "import-csv", "/dev/zero", "--db", study_},
                         {"/dev/zero", "regular file"});
        QVERIFY(::mkfifo(file("points.fifo").toLocal8Bit().constData(), 0600) == 0);
        expect_bad_input({"study", "import-csv", file("points.fifo"), "--db", study_},
                         {"points.fifo", "regular file"});
        write(file("huge-ebops.csv"), "epoch,test_accuracy,ebops_exact\n1,0.5,1e300\n");
        expect_bad_input({"study", "import-csv", file("huge-ebops.csv"), "--db", study_},
                         {"huge-ebops.csv", "line 2"});
        write(file("empty.sqlite"), "");
        expect_bad_input({"pareto", "--db", file("empty.sqlite")}, {"empty.sqlite", "empty"});
    }

    // As an unprivileged user (root ignores file modes): the study can be listed, not written,
    // and an export from it writes nothing.
    void readOnlyStudyInReadOnlyFolder() {
        if (geteuid() != 0 || !QFileInfo::exists("/usr/bin/setpriv"))
            QSKIP("needs root to run hgq as nobody");
        // Everything nobody needs, in a folder nobody can read (the build tree may not be).
        QTemporaryDir ro("/tmp/hgq-ro-XXXXXX");
        const QString s = ro.filePath("s.sqlite"), exe = ro.filePath("hgq"),
                      cfg = ro.filePath("digits_mlp.json"), out = ro.path() + "-export";
        QVERIFY(QFile::copy(study_, s) && QFile::copy(HGQ_CLI, exe) &&
                QFile::copy(example("digits_mlp.json"), cfg));
        // The digits data too, found through HGQ_RESOURCES: the checkout may sit in a folder
        // only root can enter (a mktemp -d clone), and nobody must reach the study check.
        const QString res = ro.filePath("res");
        QVERIFY(QDir().mkpath(res + "/data") &&
                QFile::copy(QString(HGQ_RESOURCES_DIR) + "/data/digits.csv.gz",
                            res + "/data/digits.csv.gz"));
        QVERIFY(::chmod(res.toLocal8Bit(), 0755) == 0 &&
                ::chmod((res + "/data").toLocal8Bit(), 0755) == 0 &&
                ::chmod((res + "/data/digits.csv.gz").toLocal8Bit(), 0444) == 0);
        QProcessEnvironment env = cli_test::cli_environment();
        env.insert("HGQ_RESOURCES", res);
        QVERIFY(::chmod(s.toLocal8Bit(), 0444) == 0 && ::chmod(cfg.toLocal8Bit(), 0444) == 0 &&
                ::chmod(exe.toLocal8Bit(), 0555) == 0 &&
                ::chmod(ro.path().toLocal8Bit(), 0555) == 0);
        auto as_nobody = [&](const QStringList& args) {
            return cli_test::run_program(
                "/usr/bin/setpriv",
                QStringList{"--reuid=nobody", "--regid=nogroup", "--clear-groups", exe} + args,
                120000, env);
        };
        const Run runs = as_nobody({"runs", "--db", s});
        QVERIFY2(runs.code == 0 && runs.out.contains("done"), qPrintable(runs.err));
        QCOMPARE(as_nobody({"pareto", "--db", s}).code, 0);
        const Run train = as_nobody({"train", cfg, "--db", s});
        QCOMPARE(train.code, 2);
        QVERIFY2(train.err.contains("read-only"), qPrintable(train.err));
        const Run exp = as_nobody({"export", "--point", "1", "--out", out, "--db", s});
        QCOMPARE(exp.code, 2);
        QVERIFY2(exp.err.contains("read-only"), qPrintable(exp.err));
        QVERIFY(!QFileInfo::exists(out));
        ::chmod(ro.path().toLocal8Bit(), 0755);
    }

    void dataThatCannotTrainIsRefused() {
        write(file("one-row.csv"), csv(1, 1));
        expect_bad_input({"train", example("digits_mlp.json"), "--data", file("one-row.csv"),
                          "--db", file("d.sqlite")},
                         {"one-row.csv", "no validation rows"});
        write(file("one-class.csv"), csv(200, 1));
        expect_bad_input({"train", example("digits_mlp.json"), "--data", file("one-class.csv"),
                          "--db", file("d.sqlite")},
                         {"one-class.csv", "one class"});
        expect_bad_input({"train", example("digits_mlp.json"), "--data", file("x.npy"), "--db",
                          file("d.sqlite")},
                         {"x.npy", "--labels"});
        QVERIFY(!QFileInfo::exists(file("d.sqlite")) ||
                hgq::store::Study(file("d.sqlite").toStdString(), hgq::store::Study::Open::ReadOnly)
                    .runs()
                    .empty());
    }

    // 9 × 65,536 × 65,536 weights in the second convolution: ~0.9 TB of training state.
    void aModelTooBigForTheMachineIsRefused() {
        nlohmann::json c = nlohmann::json::parse(
            R"({"data": {"source": "digits"}, "model": [{"layer": "input_quantizer"},
                {"layer": "conv2d", "filters": 65536, "kernel_size": 3, "padding": "same"},
                {"layer": "conv2d", "filters": 65536, "kernel_size": 3, "padding": "same"},
                {"layer": "flatten"}, {"layer": "dense", "units": 10}]})");
        write(file("huge.json"), QByteArray::fromStdString(c.dump()));
        expect_bad_input({"train", file("huge.json"), "--db", file("h.sqlite")},
                         {"huge.json", "model[2]", "GB", "fewer units or filters"});
    }

    void resumeOnChangedDataIsRefused() {
        const QString data = file("resume.csv"), db = file("r.sqlite");
        write(data, csv(300, 10));
        // Cancelled after its first epochs: a run to resume.
        QScopedPointer<QProcess> p(
            cli_test::start_hgq({"train", example("digits_mlp.json"), "--data", data, "--epochs",
                                 "100000", "--json", "--db", db},
                                nullptr));
        QByteArray seen;
        while (!seen.contains("\"event\":\"epoch\"") && p->waitForReadyRead(60000))
            seen += p->readAllStandardOutput();
        QVERIFY(seen.contains("\"event\":\"epoch\""));
        ::kill(pid_t(p->processId()), SIGINT);
        QVERIFY(p->waitForFinished(60000));
        QVERIFY2(p->exitCode() == 130, p->readAllStandardError().constData());
        QByteArray changed = csv(300, 10);
        changed[changed.indexOf('\n') + 1] = '9';  // one value of the first row
        write(data, changed);
        expect_bad_input({"resume", "1", "--db", db}, {"run 1", "data changed", "fingerprint"});
        hgq::store::Study s(db.toStdString(), hgq::store::Study::Open::ReadOnly);
        QCOMPARE(s.run(1).status, std::string("cancelled"));  // left as it was, resumable
    }
};

QTEST_GUILESS_MAIN(CliHostileTest)
#include "test_cli_hostile.moc"
