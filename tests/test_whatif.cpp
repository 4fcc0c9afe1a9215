// SPDX-License-Identifier: GPL-3.0-or-later
// What-if edits and point comparison (issue 20). Table-driven edit semantics on a hand-made
// layer (weights re-quantized from the float kernel; activation caps keep the integer bits and
// the bias's folded rounding stays exact), then end to end as a user runs them: `hgq whatif`
// that changes nothing reproduces the parent exactly, every tensor at 0 bits gives 0 EBOPs, bad
// edits exit 2 naming the valid tensors, a saved derived point exports and verifies bit-exact
// (HLS and Verilog), `hgq compare` of a point with itself shows no difference, and derived
// points survive `hgq study merge`.
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "cli_process.h"
#include "core/error.h"
#include "deploy/whatif.h"

using namespace hgq;

namespace {

cli_test::CliRun hgq_run(const QStringList& args) {
    return cli_test::run_program(HGQ_CLI, args, 600000);
}

nlohmann::json last_json(const QString& out) {
    const auto lines = out.trimmed().split('\n');
    return nlohmann::json::parse(lines.last().toStdString(), nullptr, false);
}

// One dense layer, 2 inputs ap_fixed<6,3> → 2 outputs, with the given float kernel quantized at
// f = 4 (RND), bias 0.3 at f = 4, outputs ap_fixed<8,4> with RND folded into the bias.
IntegerModel hand_model(const Mat& w) {
    IntegerModel im;
    im.input_fmt.assign(2, FixedFormat{6, 3, true, QMode::RND, OMode::WRAP});
    IntLayer d;
    d.name = "dense1";
    d.in = 2, d.out = 2, d.elements = 2;
    for (int64_t e = 0; e < w.size(); ++e) {
        d.w_code.push_back(int64_t(std::floor(double(w.data()[e]) * 16 + 0.5)));
        d.w_f.push_back(4);
    }
    d.out_fmt.assign(2, FixedFormat{8, 4, true, QMode::TRN, OMode::WRAP});
    d.bias_preshifted = true;
    for (int j = 0; j < 2; ++j) {  // 0.3 → code 5 at f = 4, then + half an output LSB (f = 5)
        d.b_code.push_back((5 << 1) + 1);
        d.b_f.push_back(5);
    }
    im.layers.push_back(d);
    return im;
}

// The reference of one output: the exact sum of the (edited) codes, rounded (RND) into `fmt`.
int64_t reference_output(const IntLayer& d, const std::vector<int64_t>& x, int x_f, int j,
                         const FixedFormat& fmt) {
    const int acc_f = 40;
    Wide acc = Wide(5) << (acc_f - 4);  // the bias 0.3 → code 5 at f = 4, without the offset
    for (int k = 0; k < d.in; ++k)
        acc += (Wide(x[k]) * d.w_code[k * d.out + j]) << (acc_f - x_f - d.w_f[k * d.out + j]);
    FixedFormat rnd = fmt;
    rnd.q = QMode::RND;
    return quantize_code(acc, acc_f, rnd);
}

}  // namespace

class WhatIfTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString db_;
    qint64 best_ = 0;

    QString file(const QString& name) { return dir_.filePath(name); }

    nlohmann::json whatif(const QStringList& edits) {
        const auto r = hgq_run(
            QStringList{"whatif", "--db", db_, "--point", QString::number(best_), "--json"} +
            edits);
        if (r.code != 0) qWarning("hgq whatif: %s", qPrintable(r.err));
        return r.code == 0 ? last_json(r.out) : nlohmann::json();
    }

  private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        db_ = file("s.sqlite");
        const auto t = hgq_run({"train", QString(HGQ_RESOURCES_DIR) + "/examples/digits_mlp.json",
                                "--epochs", "30", "--db", db_, "--json"});
        QVERIFY2(t.code == 0, qPrintable(t.err));
        double acc = -1;
        const nlohmann::json done = last_json(t.out);
        for (const auto& p : done["points"])
            if (p["test_accuracy"].get<double>() > acc)
                acc = p["test_accuracy"].get<double>(), best_ = p["point"].get<qint64>();
        QVERIFY(best_ > 0);
    }

    void editsParseAsWritten_data() {
        QTest::addColumn<int>("op");
        QTest::addColumn<QString>("arg");
        QTest::addColumn<QString>("layer");
        QTest::addColumn<bool>("weights");
        QTest::addColumn<int>("value");
        QTest::addColumn<bool>("valid");
        using Op = TensorEdit::Op;
        QTest::newRow("max weights") << int(Op::MaxBits) << "dense1.weights=2"
                                     << "dense1" << true << 2 << true;
        QTest::newRow("max acts 0") << int(Op::MaxBits) << "input.activations=0"
                                    << "input" << false << 0 << true;
        QTest::newRow("shift +") << int(Op::ShiftF) << "d.x.weights=+3"
                                 << "d.x" << true << 3 << true;
        QTest::newRow("shift -") << int(Op::ShiftF) << "dense2.weights=-1"
                                 << "dense2" << true << -1 << true;
        QTest::newRow("prune") << int(Op::Prune) << "dense2.weights<=1"
                               << "dense2" << true << 1 << true;
        QTest::newRow("negative K") << int(Op::MaxBits) << "dense1.weights=-1"
                                    << "" << true << 0 << false;
        QTest::newRow("no tensor") << int(Op::MaxBits) << "dense1=2"
                                   << "" << true << 0 << false;
        QTest::newRow("bad tensor") << int(Op::MaxBits) << "dense1.bias=2"
                                    << "" << true << 0 << false;
        QTest::newRow("not a number") << int(Op::MaxBits) << "dense1.weights=two"
                                      << "" << true << 0 << false;
        QTest::newRow("prune needs <=") << int(Op::Prune) << "dense1.weights=1"
                                        << "" << true << 0 << false;
        QTest::newRow("prune acts") << int(Op::Prune) << "dense1.activations<=1"
                                    << "" << true << 0 << false;
        QTest::newRow("huge shift") << int(Op::ShiftF) << "dense1.weights=+99"
                                    << "" << true << 0 << false;
    }
    void editsParseAsWritten() {
        QFETCH(int, op);
        QFETCH(QString, arg);
        QFETCH(bool, valid);
        try {
            const TensorEdit e = parse_edit(TensorEdit::Op(op), arg.toStdString());
            QVERIFY2(valid, qPrintable("accepted " + arg));
            QFETCH(QString, layer);
            QFETCH(bool, weights);
            QFETCH(int, value);
            QCOMPARE(QString::fromStdString(e.layer), layer);
            QCOMPARE(e.weights, weights);
            QCOMPARE(e.value, value);
            QCOMPARE(edit_from_json(to_json(e)).text(), e.text());  // JSON round trip
        } catch (const Error& err) {
            QVERIFY2(!valid, err.what());
            QCOMPARE(err.kind(), ErrorKind::BadInput);
        }
    }

    // Weights: each capped element is re-quantized from the float kernel (RND) at the largest
    // fractional bits that fit, not by rounding its code twice; pruning and shifts likewise.
    void weightEditsRequantizeFromTheFloatKernel() {
        Mat w(2, 2);
        w << Scalar(0.8125), Scalar(-0.40625), Scalar(0.15625), Scalar(-0.96875);
        const IntegerModel im = hand_model(w);  // codes 13, -6 (span 2), 3 (span 2), -15
        const std::vector<FloatKernel> k = {{"dense1", &w, Rounding::RND}};
        struct Case {
            TensorEdit::Op op;
            int value;
            std::vector<int64_t> code;
            std::vector<int> f;
        };
        const std::vector<Case> cases = {
            // 0.8125: f 3 → 6.5 → 7 (3 bits), f 2 → 3.25 → 3. −0.96875: f 3 → −7.75 → −8 (1 bit).
            {TensorEdit::Op::MaxBits, 2, {3, -6, 3, -8}, {2, 4, 4, 3}},
            {TensorEdit::Op::MaxBits, 0, {0, 0, 0, 0}, {4, 4, 4, 4}},
            {TensorEdit::Op::MaxBits, 9, {13, -6, 3, -15}, {4, 4, 4, 4}},
            {TensorEdit::Op::Prune, 2, {13, 0, 0, -15}, {4, 4, 4, 4}},
            {TensorEdit::Op::ShiftF,
             -2,
             {3, -2, 1, -4},
             {2, 2, 2, 2}},  // −1.625 → −2 (RND ties up)
            {TensorEdit::Op::ShiftF, 1, {26, -13, 5, -31}, {5, 5, 5, 5}},
        };
        for (const Case& c : cases) {
            TensorEdit e;
            e.op = c.op, e.layer = "dense1", e.weights = true, e.value = c.value;
            const IntegerModel out = apply_edits(im, k, {e});
            for (int i = 0; i < 4; ++i) {
                QCOMPARE(out.layers[0].w_code[i], c.code[size_t(i)]);
                if (c.code[size_t(i)] != 0) QCOMPARE(out.layers[0].w_f[i], c.f[size_t(i)]);
            }
        }
    }

    // Activations: a cap drops fractional bits only (W = K, I kept), and the rounding folded into
    // the bias is refolded for the new LSB — every output equals the exact sum rounded into the
    // new type, for every input code.
    void activationCapsRoundExactly() {
        Mat w(2, 2);
        w << Scalar(0.8125), Scalar(-0.40625), Scalar(0.15625), Scalar(-0.96875);
        const IntegerModel parent = hand_model(w);
        const std::vector<FloatKernel> k = {{"dense1", &w, Rounding::RND}};
        for (int cap : {8, 6, 5, 3, 1}) {
            TensorEdit e;
            e.op = TensorEdit::Op::MaxBits, e.layer = "dense1", e.weights = false, e.value = cap;
            const IntegerModel im = apply_edits(parent, k, {e});
            const IntLayer& d = im.layers[0];
            QCOMPARE(d.out_fmt[0].W, std::min(8, cap));
            QCOMPARE(d.out_fmt[0].I, 4);
            QVERIFY(d.bias_preshifted);
            int64_t checked = 0;
            for (int a = -32; a < 32; ++a)
                for (int b = -32; b < 32; ++b) {
                    Mat x(1, 2);
                    x << Scalar(a) / 8, Scalar(b) / 8;  // ap_fixed<6,3>: f = 3
                    const IntTrace t = im.run(x, 1);
                    for (int j = 0; j < 2; ++j, ++checked)
                        QCOMPARE(t.codes[1][size_t(j)],
                                 reference_output(d, {a, b}, 3, j, d.out_fmt[size_t(j)]));
                }
            qInfo("cap %d bits: %lld outputs equal the exact sum rounded into ap_fixed<%d,4>", cap,
                  (long long)checked, d.out_fmt[0].W);
        }
    }

    void noEditChangesNothing() {
        const auto p = hgq_run({"pareto", "--db", db_, "--all", "--json"});
        nlohmann::json parent;
        for (const auto& line : p.out.trimmed().split('\n')) {
            const auto j = nlohmann::json::parse(line.toStdString());
            if (j["point"].get<qint64>() == best_) parent = j;
        }
        for (const QStringList& edits :
             {QStringList{"--max-bits", "dense1.weights=40"},
              QStringList{"--max-bits", "dense2.activations=60", "--prune", "dense1.weights<=0"},
              QStringList{"--shift-f", "dense2.weights=+0", "--max-bits",
                          "input.activations=64"}}) {
            const auto j = whatif(edits);
            QCOMPARE(j["ebops"].get<qint64>(), parent["ebops"].get<qint64>());
            QCOMPARE(j["ebops_before"].get<qint64>(), parent["ebops"].get<qint64>());
            QCOMPARE(j["test_accuracy"].get<double>(), parent["test_accuracy"].get<double>());
            QCOMPARE(j["adder_levels"].get<int>(), parent["adder_levels"].get<int>());
        }
    }

    void everyTensorAtZeroBitsCostsNothing() {
        const auto j =
            whatif({"--max-bits", "input.activations=0", "--max-bits", "dense1.weights=0",
                    "--max-bits", "dense1.activations=0", "--max-bits", "dense2.weights=0",
                    "--max-bits", "dense2.activations=0"});
        QCOMPARE(j["ebops"].get<qint64>(), qint64(0));
        QVERIFY(j["ebops_before"].get<qint64>() > 0);
        // Only the weights at 0: every product is gone as well.
        const auto w = whatif({"--max-bits", "dense1.weights=0", "--max-bits", "dense2.weights=0"});
        QCOMPARE(w["ebops"].get<qint64>(), qint64(0));
    }

    void badEditsExitTwo() {
        const QString p = QString::number(best_);
        struct Bad {
            QStringList args;
            QString says;
        };
        for (const Bad& b : std::vector<Bad>{
                 {{"--max-bits", "dens1.weights=2"}, "dense1.weights, dense1.activations"},
                 {{"--max-bits", "dense1.weights=-2"}, "cannot be negative"},
                 {{"--max-bits", "input.weights=2"}, "has no tensor 'weights'"},
                 {{"--prune", "dense1.activations<=1"}, "only weights"},
                 {{}, "no edit given"}}) {
            const auto r = hgq_run(QStringList{"whatif", "--db", db_, "--point", p} + b.args);
            QCOMPARE(r.code, 2);
            QVERIFY2(r.err.contains(b.says), qPrintable(r.err));
        }
        QCOMPARE(
            hgq_run({"whatif", "--db", db_, "--point", "999", "--max-bits", "dense1.weights=2"})
                .code,
            2);
    }

    // The derived point stands alone: pareto marks it, inspect shows its types, and both
    // exports verify bit-exact against the integer model the app measured.
    void savedPointExportsBitExact() {
        const auto j = whatif({"--max-bits", "dense1.weights=2", "--max-bits",
                               "dense1.activations=3", "--shift-f", "dense2.weights=-1", "--save"});
        QVERIFY(j.contains("point"));
        const QString id = QString::number(j["point"].get<qint64>());
        const auto all = hgq_run({"pareto", "--db", db_, "--all"});
        QVERIFY2(all.out.contains(id + "*") &&
                     all.out.contains("derived from " + QString::number(best_)),
                 qPrintable(all.out));
        const auto ins = hgq_run({"inspect", "--db", db_, "--point", id, "--json"});
        QCOMPARE(ins.code, 0);
        const auto ij = last_json(ins.out);
        QCOMPARE(ij["ebops"].get<qint64>(), j["ebops"].get<qint64>());
        QCOMPARE(ij["test_accuracy"].get<double>(), j["test_accuracy"].get<double>());
        for (const QString format : {"hls", "verilog"}) {
            const QString out = file("export-" + format);
            const auto e =
                hgq_run({"export", "--db", db_, "--point", id, "--out", out, "--format", format});
            QVERIFY2(e.code == 0, qPrintable(e.err));
            const auto v = hgq_run({"verify", out, "--json"});
            QVERIFY2(v.code == 0, qPrintable(v.out + v.err));
            QVERIFY(last_json(v.out)["passed"].get<bool>());
        }
    }

    void comparingAPointWithItselfShowsNoDifference() {
        const QString p = QString::number(best_);
        const auto r = hgq_run({"compare", p, p, "--db", db_, "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto j = last_json(r.out);
        QCOMPARE(j["disagree"].get<qint64>(), qint64(0));
        QVERIFY(j["samples"].get<qint64>() > 0);
        QCOMPARE(j["a"]["confusion"], j["b"]["confusion"]);
        for (const auto& l : j["layers"])
            for (const char* k : {"ebops", "mean_weight_bits", "pruned_weights", "weight_type"})
                QCOMPARE(l[std::string(k) + "_a"], l[std::string(k) + "_b"]);
        // Against a derived point: the per-layer EBOPs and the flipped samples add up.
        const auto d = whatif({"--max-bits", "dense2.weights=1"});
        const auto pts = hgq_run({"pareto", "--db", db_, "--all", "--json"});
        qint64 derived = 0;
        for (const auto& line : pts.out.trimmed().split('\n')) {
            const auto pj = nlohmann::json::parse(line.toStdString());
            if (pj["derived"].get<bool>()) derived = pj["point"].get<qint64>();
        }
        QVERIFY(derived > 0);
        const auto c =
            last_json(hgq_run({"compare", p, QString::number(derived), "--db", db_, "--json"}).out);
        qint64 sum_b = 0;
        for (const auto& l : c["layers"]) sum_b += l["ebops_b"].get<qint64>();
        QCOMPARE(sum_b, c["b"]["ebops"].get<qint64>());
        QVERIFY(c["disagree"].get<qint64>() >= 0);
        QVERIFY(d["ebops"].get<qint64>() < d["ebops_before"].get<qint64>());
    }

    void derivedPointsSurviveAMerge() {
        const QString into = file("merged.sqlite");
        QCOMPARE(hgq_run({"train", QString(HGQ_RESOURCES_DIR) + "/examples/digits_mlp.json",
                          "--epochs", "2", "--db", into})
                     .code,
                 0);
        QCOMPARE(hgq_run({"study", "merge", db_, "--db", into}).code, 0);
        const auto pts = hgq_run({"pareto", "--db", into, "--all", "--json"});
        std::map<qint64, nlohmann::json> by_id;
        for (const auto& line : pts.out.trimmed().split('\n')) {
            const auto j = nlohmann::json::parse(line.toStdString());
            by_id[j["point"].get<qint64>()] = j;
        }
        int derived = 0;
        for (const auto& [id, j] : by_id) {
            if (!j["derived"].get<bool>()) continue;
            ++derived;
            const auto parent = by_id.find(j["parent"].get<qint64>());
            QVERIFY(parent != by_id.end());
            QCOMPARE(parent->second["run"], j["run"]);
            QCOMPARE(parent->second["epoch"], j["epoch"]);
            const auto ins = hgq_run({"inspect", "--db", into, "--point", QString::number(id)});
            QCOMPARE(ins.code, 0);
        }
        QVERIFY(derived >= 1);
    }
};

QTEST_GUILESS_MAIN(WhatIfTest)
#include "test_whatif.moc"
