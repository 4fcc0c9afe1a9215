// SPDX-License-Identifier: GPL-3.0-or-later
// End to end, as a user runs it: the real `hgq` binary on the bundled digits, bad input of every
// kind (exit code 2 and a message naming the file and the field or line), and Ctrl-C.
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <nlohmann/json.hpp>
#include "cli_process.h"

namespace {

using Run = cli_test::CliRun;

Run run_hgq(const QStringList& args, int timeout_ms = 120000) {
    return cli_test::run_program(HGQ_CLI, args, timeout_ms);
}

void write(const QString& path, const QByteArray& text) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

QString example(const char* name) {
    return QString(HGQ_RESOURCES_DIR) + "/examples/" + name;
}

// A small valid config around a data block; `extra` is spliced into the top-level object.
QByteArray config_for(const QByteArray& data, const QByteArray& extra = "") {
    return R"({"data": )" + data + R"(, "model": [{"layer": "input_quantizer"},
        {"layer": "dense", "units": 3}], "training": {"epochs": 2, "batch_size": 4})" +
           extra + "}";
}

}  // namespace

class CliTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    QString file(const char* name) { return dir_.filePath(name); }

    void expect_bad_input(const QStringList& args, const QStringList& must_mention) {
        const Run r = run_hgq(args);
        qInfo().noquote() << "stderr:" << r.err.trimmed();
        QCOMPARE(r.code, 2);
        for (const QString& s : must_mention) QVERIFY2(r.err.contains(s), qPrintable(s));
        QVERIFY(!r.err.contains("internal error"));
    }

  private slots:
    void digitsDemoReachesAccuracyAndSpansFront();
    void malformedJson() {
        write(file("bad.json"), "{\n  \"name\": \"x\",\n  \"data\": {\"source\": \"digits\"\n}\n");
        expect_bad_input({"train", file("bad.json")}, {"bad.json:5", "malformed JSON"});
    }
    void unknownField() {
        write(file("unknown.json"), config_for(R"({"source": "digits"})", R"(, "trainig": {})"));
        expect_bad_input({"train", file("unknown.json")},
                         {"unknown.json", "trainig", "unknown field"});
    }
    void unknownLayerField() {
        write(file("layer.json"),
              R"({"data": {"source": "digits"}, "model": [{"layer": "input_quantizer"},
            {"layer": "dense", "unit": 10}]})");
        expect_bad_input({"train", file("layer.json")},
                         {"layer.json", "model[1].unit'", "unknown field"});
    }
    void missingConfig() { expect_bad_input({"train", file("nope.json")}, {"nope.json"}); }
    void raggedCsv() {
        write(file("ragged.csv"), "a,b,label\n1,2,x\n3,4\n5,6,y\n");
        write(file("ragged.json"), config_for(R"({"source": "csv", "path": "ragged.csv"})"));
        expect_bad_input({"train", file("ragged.json")}, {"ragged.csv", "line 3"});
    }
    void nanInData() {
        write(file("nan.csv"), "a,b,label\n1,2,0\n3,nan,1\n5,6,2\n7,8,0\n");
        write(file("nan.json"), config_for(R"({"source": "csv", "path": "nan.csv"})"));
        expect_bad_input({"train", file("nan.json")}, {"nan.csv:line 3", "column 2"});
    }
    void truncatedIdx() {
        QByteArray img("\x00\x00\x08\x03\x00\x00\x00\x02\x00\x00\x00\x02\x00\x00\x00\x02\x01\x02",
                       18);
        QByteArray lab("\x00\x00\x08\x01\x00\x00\x00\x02\x00\x01", 10);
        write(file("img.idx"), img);
        write(file("lab.idx"), lab);
        write(file("idx.json"),
              config_for(R"({"source": "idx", "path": "img.idx", "labels": "lab.idx"})"));
        expect_bad_input({"train", file("idx.json")}, {"img.idx"});
    }
    void labelOutOfRange() {
        // The model has 3 logits; labels 0..4 make 5 classes: the message names the mismatch.
        write(file("labels.csv"), "a,label\n1,0\n2,4\n3,1\n4,2\n5,3\n");
        write(file("labels.json"), config_for(R"({"source": "csv", "path": "labels.csv"})"));
        expect_bad_input({"train", file("labels.json")}, {"classes"});
    }
    void unwritableStudy() {
        const Run r = run_hgq({"train", example("digits_mlp.json"), "--epochs", "1", "--db",
                               "/nonexistent-dir/study.sqlite"});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("/nonexistent-dir/study.sqlite"));
        QVERIFY(r.err.contains("writable"));
    }
    void ctrlCStopsCleanlyAndKeepsEpochs();
    void benchPrintsRoofline() {
        const Run r = run_hgq({"bench", "--seconds", "0.3", "--json"});
        QCOMPARE(r.code, 0);
        const auto j = nlohmann::json::parse(r.out.trimmed().toStdString());
        QVERIFY(j["samples_per_second"].get<double>() > 0);
        QVERIFY(j["ratio_to_peak"].get<double>() > 0);
        QVERIFY(j["flops_per_sample"].get<double>() ==
                3 * 2.0 * (16 * 64 + 64 * 32 + 32 * 32 + 32 * 5));
        // Fused-BN layers run 6 products a step (statistics, output; 2 for dW, 2 for dx), but
        // the 16 → 64 one takes its statistics from xᵀx: 3 products of 16·64 and 2 of 16·16.
        QVERIFY(j["gemm_flops_per_sample"].get<double>() ==
                2.0 * (3 * 16 * 64 + 2 * 16 * 16) + 12.0 * (64 * 32 + 32 * 32 + 32 * 5));
        QVERIFY(j["memory_gbps"].get<double>() > 0);
        QVERIFY(j["binding_roof"] == "gemm" || j["binding_roof"] == "memory");
        double share = 0;  // the phases and "other" tile the step's wall time
        for (const auto& [phase, s] : j["phases"].items()) share += s.get<double>();
        QVERIFY2(std::fabs(share - 1) < 0.02, qPrintable(QString::number(share)));
        QVERIFY(j["phases"]["backward GEMMs"].get<double>() > 0);

        // A curve: one line per (threads, batch).
        const Run curve = run_hgq({"bench", "--model", "fmnist-cnn", "--batch", "16,32",
                                   "--threads", "1,2", "--seconds", "0.1", "--json"});
        QCOMPARE(curve.code, 0);
        QStringList seen;
        for (const QString& line : curve.out.split('\n', Qt::SkipEmptyParts)) {
            const auto row = nlohmann::json::parse(line.toStdString());
            seen << QString("%1x%2").arg(row["threads"].get<int>()).arg(row["batch"].get<int>());
        }
        QCOMPARE(seen, QStringList({"1x16", "1x32", "2x16", "2x32"}));
        QCOMPARE(run_hgq({"bench", "--model", "resnet"}).code, 2);
    }
};

void CliTest::digitsDemoReachesAccuracyAndSpansFront() {
    const QString db = file("digits.sqlite");
    const Run r = run_hgq({"train", example("digits_mlp.json"), "--json", "--db", db});
    QCOMPARE(r.code, 0);
    double best_val = 0;
    nlohmann::json done;
    for (const QString& line : r.out.split('\n', Qt::SkipEmptyParts)) {
        const auto j = nlohmann::json::parse(line.toStdString());
        if (j["event"] == "epoch") best_val = std::max(best_val, j["val_accuracy"].get<double>());
        if (j["event"] == "done") done = j;
    }
    for (const auto& p : done["points"]) {  // deployed: integer-model accuracy, estimates
        QVERIFY(p.contains("test_accuracy_float") && p.contains("lut_estimate"));
        QVERIFY(p["lut_estimate"].get<double>() <= p["ebops"].get<double>());
        QVERIFY(p["ebops"].get<double>() <= p["ebops_train"].get<double>());  // exact <= estimate
    }
    QVERIFY(done.is_object());
    const auto& points = done["points"];
    double lo = 1e300, hi = 0, best_test = 0;
    for (const auto& p : points) {
        lo = std::min(lo, p["ebops"].get<double>());
        hi = std::max(hi, p["ebops"].get<double>());
        best_test = std::max(best_test, p["test_accuracy"].get<double>());
    }
    qInfo("best val %.4f, best test %.4f, %zu points, exact EBOPs %.0f .. %.0f (%.1fx)", best_val,
          best_test, points.size(), lo, hi, hi / std::max(lo, 1.0));
    QVERIFY(best_val >= 0.95);
    QVERIFY(points.size() >= 8);
    QVERIFY(lo > 0 && hi / lo >= 10);
    // The study lists the run as done with every point; pareto --all --json gives them back.
    const Run runs = run_hgq({"runs", "--db", db, "--json"});
    QCOMPARE(runs.code, 0);
    const auto run = nlohmann::json::parse(runs.out.trimmed().toStdString());
    QCOMPARE(run["status"].get<std::string>(), std::string("done"));
    QCOMPARE(run["points"].get<size_t>(), points.size());
    const Run all = run_hgq({"pareto", "--db", db, "--all", "--json"});
    QCOMPARE(all.out.trimmed().split('\n').size(), qsizetype(points.size()));
    const QString first = QString::number(points[0]["point"].get<int64_t>());

    // hgq inspect reads the deployed point back: per-layer reports, types, the trace diff.
    const Run ins = run_hgq({"inspect", "--db", db, "--point", first, "--json"});
    QCOMPARE(ins.code, 0);
    const auto j = nlohmann::json::parse(ins.out.trimmed().toStdString());
    const auto& dep = j["deployment"];
    QCOMPARE(dep["layers"].size(), size_t(3));  // input, dense1, dense2
    QCOMPARE(dep["layers"][1]["ebops"].get<int64_t>() + dep["layers"][2]["ebops"].get<int64_t>(),
             points[0]["ebops"].get<int64_t>());
    QVERIFY(dep["types"]["dense1"]["out"].size() == 32);
    QVERIFY(dep["trace_diff"]["clean_agree"] == dep["trace_diff"]["clean_samples"]);
    QVERIFY(!j.contains("snapshot"));
    const Run table = run_hgq({"inspect", "--db", db, "--point", first});
    QCOMPARE(table.code, 0);
    QVERIFY(table.out.contains("dense2") && table.out.contains("integer model"));
    const Run missing = run_hgq({"inspect", "--db", db, "--point", "999"});
    QCOMPARE(missing.code, 2);
    QVERIFY(missing.err.contains("no point 999"));
}

void CliTest::ctrlCStopsCleanlyAndKeepsEpochs() {
    QProcess p;
    p.setProcessEnvironment(cli_test::cli_environment());
    p.start(HGQ_CLI, {"train", example("digits_mlp.json"), "--epochs", "100000", "--json", "--db",
                      file("ctrlc.sqlite")});
    QVERIFY(p.waitForStarted());
    QByteArray out;
    while (!out.contains("\"epoch\":3") && p.waitForReadyRead(30000))
        out += p.readAllStandardOutput();
    QVERIFY(out.contains("\"epoch\":3"));
    ::kill(p.processId(), SIGINT);
    QVERIFY(p.waitForFinished(30000));
    out += p.readAllStandardOutput();
    QCOMPARE(p.exitCode(), 130);
    const auto lines = out.trimmed().split('\n');
    const auto done = nlohmann::json::parse(lines.last().toStdString());
    QCOMPARE(done["event"].get<std::string>(), std::string("done"));
    QVERIFY(done["cancelled"].get<bool>());
    QVERIFY(done["epochs"].get<int>() >= 3);
    QVERIFY(done["points"].size() >= 1);
}

QTEST_GUILESS_MAIN(CliTest)
#include "test_cli.moc"
