// SPDX-License-Identifier: GPL-3.0-or-later
// HLS export end to end, as a user runs it: train (digits MLP, the jet-tagger shape on synthetic
// jets, a digits CNN with every layer kind), export a point with `hgq export`, and `hgq verify`
// it: the exported testbench, compiled with the app's ap_fixed emulation, must reproduce 100 %
// of the integer model's output codes. A corrupted expected file must fail; generated code must
// compile warning-free; a non-empty folder is refused.
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <tuple>
#include "adder_graph_text.h"
#include "cli_process.h"

namespace {

using Run = cli_test::CliRun;

Run run(const QString& program, const QStringList& args, const QString& cwd = {}) {
    return cli_test::run_program(program, args, 600000, cli_test::cli_environment(), cwd);
}

Run hgq(const QStringList& args) {
    return run(HGQ_CLI, args);
}

nlohmann::json last_json(const QString& out) {
    const auto lines = out.trimmed().split('\n');
    return nlohmann::json::parse(lines.last().toStdString());
}

}  // namespace

class ExportTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString file(const QString& name) { return dir_.filePath(name); }

    // Trains `config` into its own study and returns the most accurate point's id.
    qint64 train_best(const QString& config, const QString& db) {
        const Run t = hgq({"train", config, "--db", db, "--json"});
        if (t.code != 0) {
            qWarning("hgq train exited %d: %s", t.code, qPrintable(t.err));
            return 0;
        }
        qint64 best = 0;
        double acc = -1;
        const nlohmann::json done = last_json(t.out);  // (a temporary would dangle in the loop)
        for (const auto& p : done["points"])
            if (p["test_accuracy"].get<double>() > acc) {
                acc = p["test_accuracy"].get<double>();
                best = p["point"].get<qint64>();
            }
        return best;
    }

    // Exports and verifies; prints the figures the issue asks for.
    void export_and_verify(const QString& what, const QString& db, qint64 point,
                           const QString& out) {
        const Run e =
            hgq({"export", "--db", db, "--point", QString::number(point), "--out", out, "--json"});
        QVERIFY2(e.code == 0, qPrintable(e.err));
        const auto ej = last_json(e.out);
        const Run v = hgq({"verify", out, "--json"});
        const auto vj = last_json(v.out);
        qInfo(
            "%s: export %.2f s, %lld lines, %lld adders for %lld non-zero weights; C-sim "
            "compile %.2f s + run %.2f s on %lld vectors: %s",
            qPrintable(what), ej["seconds"].get<double>(), ej["lines"].get<long long>(),
            ej["adders"].get<long long>(), ej["nonzero_weights"].get<long long>(),
            vj["compile_seconds"].get<double>(), vj["run_seconds"].get<double>(),
            ej["vectors"].get<long long>(), vj["passed"].get<bool>() ? "bit-exact" : "FAILED");
        QVERIFY2(v.code == 0, vj["output"].get<std::string>().c_str());
        QVERIFY(QString::fromStdString(vj["output"].get<std::string>()).contains("0 mismatches"));
    }

  private slots:
    void digitsMlpIsBitExact() {
        std::ifstream in(std::string(HGQ_RESOURCES_DIR) + "/examples/digits_mlp.json");
        nlohmann::json cfg = nlohmann::json::parse(in);
        cfg["training"]["epochs"] = 40;
        std::ofstream(file("digits.json").toStdString()) << cfg.dump();
        const qint64 point = train_best(file("digits.json"), file("digits.sqlite"));
        QVERIFY(point > 0);
        export_and_verify("digits MLP", file("digits.sqlite"), point, file("digits-hls"));
    }

    void corruptedExpectedCodesFail() {
        const QString out = file("digits-hls");
        const std::string path = (out + "/tb_data/tb_output_codes.dat").toStdString();
        std::ifstream in(path);
        std::string first;
        std::getline(in, first);
        const std::string rest((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
        const size_t space = first.find(' ');
        const long long code = std::stoll(first.substr(0, space));
        std::ofstream(path) << (code + 1) << first.substr(space) << "\n" << rest;
        const Run v = hgq({"verify", out});
        QCOMPARE(v.code, 1);
        QVERIFY(v.out.contains("MISMATCH sample 0 output 0"));
        QVERIFY(v.out.contains("1 mismatches in 1 samples"));
    }

    void nonEmptyFolderIsRefused() {
        const Run e = hgq(
            {"export", "--db", file("digits.sqlite"), "--point", "1", "--out", file("digits-hls")});
        QCOMPARE(e.code, 2);
        QVERIFY(e.err.contains("not empty") && e.err.contains("--force"));
        QCOMPARE(hgq({"export", "--db", file("digits.sqlite"), "--point", "1", "--out",
                      file("digits-hls"), "--force"})
                     .code,
                 0);
    }

    void generatedCodeCompilesWarningFree() {
        const QString out = file("digits-hls");
        const Run c = run("g++",
                          {"-std=c++17", "-O1", "-Wall", "-Wextra", "-Werror", "-c",
                           "-I" + QString(HGQ_RESOURCES_DIR) + "/fx_emul", "-I" + out,
                           out + "/firmware/hgq_model.cpp", out + "/hgq_model_test.cpp"},
                          dir_.path());
        QVERIFY2(c.code == 0, qPrintable(c.err));
    }

    void jetTaggerShapeIsBitExact() {
        // Synthetic "jets": 16 features, 5 classes separated by their means.
        std::mt19937 rng(7);
        std::normal_distribution<double> noise(0, 1);
        std::ofstream csv(file("jets.csv").toStdString());
        for (int f = 0; f < 16; ++f) csv << "f" << f << ",";
        csv << "class\n";
        for (int r = 0; r < 3000; ++r) {
            const int c = r % 5;
            for (int f = 0; f < 16; ++f) csv << (f % 5 == c ? 1.5 : 0.0) + noise(rng) << ",";
            csv << "gqwzt"[c] << "\n";
        }
        csv.close();
        std::ifstream in(std::string(HGQ_RESOURCES_DIR) + "/examples/jsc_mlp.json");
        nlohmann::json cfg = nlohmann::json::parse(in);
        cfg["data"] = {{"source", "csv"}, {"path", "jets.csv"}, {"label_column", "class"}};
        cfg["training"]["epochs"] = 6;
        cfg["training"]["batch_size"] = 128;
        cfg["beta"] = {{{"until_epoch", 6}, {"from", 1e-6}, {"to", 1e-5}, {"shape", "geometric"}}};
        std::ofstream(file("jets.json").toStdString()) << cfg.dump();
        const qint64 point = train_best(file("jets.json"), file("jets.sqlite"));
        QVERIFY(point > 0);
        export_and_verify("jet-tagger shape 16-64-32-32-5", file("jets.sqlite"), point,
                          file("jets-hls"));
    }

    // Verilog, shared adders (the default) and unshared (--no-cse), in Verilator: the digits MLP
    // both ways, the jet shape with 2 register stages (the CNNs: test_export_cnn).
    void verilog_verify(const QString& db, qint64 point, const QString& out, int stages,
                        bool share) {
        QStringList args{
            "export", "--db",     db,        "--point",  QString::number(point),  "--out",
            out,      "--format", "verilog", "--stages", QString::number(stages), "--json"};
        if (!share) args << "--no-cse";
        const Run e = hgq(args);
        QVERIFY2(e.code == 0, qPrintable(e.err));
        const auto ej = last_json(e.out);
        const auto& g = ej["adder_graph"];
        QCOMPARE(ej["shared_adders"].get<bool>(), share);
        QCOMPARE(ej["adders"].get<long long>(),
                 g[share ? "shared" : "unshared"]["adders"].get<long long>());
        const Run v = hgq({"verify", out, "--json"});
        const auto vj = last_json(v.out);
        qInfo(
            "Verilog %s (%d register stages, %s): export %.2f s, %lld lines; %s; Verilator build "
            "%.1f s + run %.2f s: %s",
            qPrintable(QFileInfo(out).fileName()), stages, share ? "shared" : "--no-cse",
            ej["seconds"].get<double>(), ej["lines"].get<long long>(),
            export_test::adder_graph_text(ej).c_str(), vj["compile_seconds"].get<double>(),
            vj["run_seconds"].get<double>(), vj["passed"].get<bool>() ? "bit-exact" : "FAILED");
        QVERIFY2(v.code == 0, vj["output"].get<std::string>().c_str());
        QVERIFY(g["shared"]["adders"].get<long long>() < g["unshared"]["adders"].get<long long>());
    }

    // One adder's sign flipped in a netlist: verification must fail. `marker` picks the adder.
    void flipped_sign_fails(const QString& out, const std::string& marker) {
        const std::string path = (out + "/verilog/hgq_model.v").toStdString();
        std::ifstream in(path);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const size_t at = text.find(marker);
        QVERIFY2(at != std::string::npos, marker.c_str());
        const size_t plus = text.find(" + (", at), minus = text.find(" - (", at);
        const size_t op = std::min(plus, minus);  // the first adder defining the wire
        QVERIFY(op != std::string::npos && op < text.find(";", text.find(";", at) + 1));
        text[op + 1] = text[op + 1] == '+' ? '-' : '+';
        std::ofstream(path) << text;
        const Run broken = hgq({"verify", out});
        QCOMPARE(broken.code, 1);
        QVERIFY(broken.out.contains("MISMATCH"));
    }

    void verilogOfDigitsAndJetsSimulatesBitExactly() {
        if (run("verilator", {"--version"}).code != 0)
            QSKIP("verilator is not installed (Debian package verilator); CI installs it");
        const qint64 digits = 1, jets = 1;
        verilog_verify(file("digits.sqlite"), digits, file("digits-v"), 0, true);
        verilog_verify(file("digits.sqlite"), digits, file("digits-v-unshared"), 0, false);
        verilog_verify(file("jets.sqlite"), jets, file("jets-v"), 2, true);
        // A shared intermediate of the first layer (wire s1_0_0) with its sign flipped.
        flipped_sign_fails(file("digits-v"), " s1_0_0");
    }

    void cnnIsBitExact() {
        const nlohmann::json cfg = nlohmann::json::parse(R"({
            "name": "digits-cnn", "data": {"source": "digits"},
            "model": [{"layer": "input_quantizer"},
                      {"layer": "conv2d", "filters": 6, "kernel_size": 3, "padding": "same", "batchnorm": true, "activation": "relu"},
                      {"layer": "maxpool2d", "pool_size": 2},
                      {"layer": "conv2d", "filters": 8, "kernel_size": 3, "activation": "relu"},
                      {"layer": "avgpool2d", "pool_size": 2},
                      {"layer": "flatten"},
                      {"layer": "dense", "units": 10, "batchnorm": true}],
            "quantization": {"weights": {"init_fractional_bits": 4}, "activations": {"init_fractional_bits": 4}},
            "training": {"epochs": 8, "batch_size": 64, "threads": 2, "optimizer": {"adam": {"lr": 0.01}}},
            "beta": [{"until_epoch": 8, "from": 1e-6, "to": 1e-5, "shape": "geometric"}]})");
        std::ofstream(file("cnn.json").toStdString()) << cfg.dump();
        const qint64 point = train_best(file("cnn.json"), file("cnn.sqlite"));
        QVERIFY(point > 0);
        export_and_verify("digits CNN (conv same/valid, max/avg pool, flatten, dense)",
                          file("cnn.sqlite"), point, file("cnn-hls"));
    }
};

QTEST_GUILESS_MAIN(ExportTest)
#include "test_export.moc"
