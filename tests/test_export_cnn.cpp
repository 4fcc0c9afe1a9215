// SPDX-License-Identifier: GPL-3.0-or-later
// CNN exports with shared adders, in their own executable: a digits CNN with every layer kind as
// Verilog (one register stage) in Verilator, and a small Fashion-MNIST CNN point (two strided
// convolutions, max pool, dense; one epoch on half the training images) both as HLS, C-simulated
// with the app's ap_fixed emulation, and as Verilog (one register stage) in Verilator, each on the
// whole test split (10,000 images). 100 % of the output codes must match the integer model. Both
// are kept small so the test stays near a minute: the bundled Fashion-MNIST CNN's C simulation
// alone takes about 5 minutes (README, "Sharing adders").
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <nlohmann/json.hpp>

#include "adder_graph_text.h"
#include "cli_process.h"

namespace {

cli_test::CliRun hgq(const QStringList& args) {
    return cli_test::run_program(HGQ_CLI, args, 240000, cli_test::cli_environment(), {});
}

nlohmann::json last_json(const QString& out) {
    return nlohmann::json::parse(out.trimmed().split('\n').last().toStdString());
}

}  // namespace

class ExportCnnTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString file(const QString& name) { return dir_.filePath(name); }

    bool have_verilator() {
        return cli_test::run_program("verilator", {"--version"}, 60000).code == 0;
    }

    struct Verilated {
        nlohmann::json report;  // hgq export --json
        bool bit_exact = false;
    };

    // Verilog of `point` with one register stage, shared adders, checked in Verilator on every
    // test vector the export wrote; prints the figures.
    Verilated verilate(const QString& what, const QString& db, qint64 point, const QString& out) {
        const auto e = hgq({"export", "--db", db, "--point", QString::number(point), "--out", out,
                            "--format", "verilog", "--stages", "1", "--json"});
        if (e.code != 0) {
            qWarning("hgq export: %s", qPrintable(e.err));
            return {};
        }
        const auto ej = last_json(e.out);
        const auto v = hgq({"verify", out, "--json"});
        const auto vj = last_json(v.out);
        qInfo(
            "%s Verilog (1 register stage): export %.2f s, %lld lines; %s; Verilator build %.1f s "
            "+ run %.2f s on %lld vectors: %s",
            qPrintable(what), ej["seconds"].get<double>(), ej["lines"].get<long long>(),
            export_test::adder_graph_text(ej).c_str(), vj["compile_seconds"].get<double>(),
            vj["run_seconds"].get<double>(), ej["vectors"].get<long long>(),
            vj["passed"].get<bool>() ? "bit-exact" : "FAILED");
        const bool exact =
            v.code == 0 && vj["passed"].get<bool>() &&
            QString::fromStdString(vj["output"].get<std::string>()).contains(" 0 mismatches");
        if (!exact) qWarning("%s", vj["output"].get<std::string>().c_str());
        return {ej, exact};
    }

  private slots:
    void digitsCnnVerilogIsBitExact() {
        if (!have_verilator())
            QSKIP("verilator is not installed (Debian package verilator); CI installs it");
        const nlohmann::json cfg = nlohmann::json::parse(R"({
            "name": "digits-cnn", "data": {"source": "digits"},
            "model": [{"layer": "input_quantizer"},
                      {"layer": "conv2d", "filters": 4, "kernel_size": 3, "padding": "same", "batchnorm": true, "activation": "relu"},
                      {"layer": "maxpool2d", "pool_size": 2},
                      {"layer": "conv2d", "filters": 4, "kernel_size": 3, "activation": "relu"},
                      {"layer": "avgpool2d", "pool_size": 2},
                      {"layer": "flatten"},
                      {"layer": "dense", "units": 10, "batchnorm": true}],
            "quantization": {"weights": {"init_fractional_bits": 4}, "activations": {"init_fractional_bits": 4}},
            "training": {"epochs": 8, "batch_size": 64, "threads": 2, "optimizer": {"adam": {"lr": 0.01}}},
            "beta": [{"until_epoch": 8, "from": 1e-6, "to": 1e-5, "shape": "geometric"}]})");
        std::ofstream(file("cnn.json").toStdString()) << cfg.dump();
        const auto t = hgq({"train", file("cnn.json"), "--db", file("cnn.sqlite"), "--json"});
        QVERIFY2(t.code == 0, qPrintable(t.err));
        const qint64 point = last_json(t.out)["points"][0]["point"].get<qint64>();
        const Verilated vl = verilate("digits CNN", file("cnn.sqlite"), point, file("cnn-v"));
        QVERIFY(vl.bit_exact);
        const auto& g = vl.report["adder_graph"];
        QVERIFY(g["shared"]["adders"].get<long long>() < g["unshared"]["adders"].get<long long>());
    }

    void fashionMnistCnnIsBitExact() {
        if (!QDir("/usr/share/datasets/fashion-mnist").exists())
            QSKIP("Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)");
        const nlohmann::json cfg = nlohmann::json::parse(R"({
            "name": "fashion-mnist-small-cnn", "data": {"source": "fashion-mnist"},
            "split": {"validation": 0.5, "seed": 42}, "standardize": true,
            "model": [{"layer": "input_quantizer"},
                      {"layer": "conv2d", "filters": 4, "kernel_size": 3, "strides": 2, "batchnorm": true, "activation": "relu"},
                      {"layer": "conv2d", "filters": 4, "kernel_size": 3, "strides": 2, "batchnorm": true, "activation": "relu"},
                      {"layer": "maxpool2d", "pool_size": 2},
                      {"layer": "flatten"},
                      {"layer": "dense", "units": 10, "batchnorm": true}],
            "quantization": {"weights": {"init_fractional_bits": 4}, "activations": {"init_fractional_bits": 4}},
            "training": {"epochs": 1, "batch_size": 128, "threads": 2, "optimizer": {"adam": {"lr": 0.01}}},
            "beta": [{"until_epoch": 1, "value": 1e-6}]})");
        std::ofstream(file("fcnn.json").toStdString()) << cfg.dump();
        const auto t = hgq({"train", file("fcnn.json"), "--db", file("fcnn.sqlite"), "--json"});
        QVERIFY2(t.code == 0, qPrintable(t.err));
        const nlohmann::json done = last_json(t.out);
        QVERIFY(!done["points"].empty());
        const qint64 point = done["points"][0]["point"].get<qint64>();
        const auto e = hgq({"export", "--db", file("fcnn.sqlite"), "--point",
                            QString::number(point), "--out", file("fcnn-hls"), "--json"});
        QVERIFY2(e.code == 0, qPrintable(e.err));
        const auto ej = last_json(e.out);
        QVERIFY(ej["shared_adders"].get<bool>());
        const auto v = hgq({"verify", file("fcnn-hls"), "--json"});
        const auto vj = last_json(v.out);
        qInfo(
            "Fashion-MNIST CNN point %lld: export %.2f s, %lld lines; unrolled %s; C-sim compile "
            "%.1f s + run %.1f s on %lld vectors: %s",
            (long long)point, ej["seconds"].get<double>(), ej["lines"].get<long long>(),
            export_test::adder_graph_text(ej).c_str(), vj["compile_seconds"].get<double>(),
            vj["run_seconds"].get<double>(), ej["vectors"].get<long long>(),
            vj["passed"].get<bool>() ? "bit-exact" : "FAILED");
        QCOMPARE(ej["vectors"].get<long long>(), 10000LL);
        QVERIFY2(v.code == 0, vj["output"].get<std::string>().c_str());
        QVERIFY(QString::fromStdString(vj["output"].get<std::string>()).contains("0 mismatches"));
        // The same point as Verilog: its fully unrolled netlist (~27 k lines) in Verilator.
        if (!have_verilator())
            QSKIP("verilator is not installed (Debian package verilator); CI installs it");
        const Verilated vl =
            verilate("Fashion-MNIST CNN", file("fcnn.sqlite"), point, file("fcnn-v"));
        QVERIFY(vl.bit_exact);
        QCOMPARE(vl.report["vectors"].get<long long>(), 10000LL);
    }
};

QTEST_GUILESS_MAIN(ExportCnnTest)
#include "test_export_cnn.moc"
