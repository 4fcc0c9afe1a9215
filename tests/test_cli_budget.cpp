// SPDX-License-Identifier: GPL-3.0-or-later
// Designing to a budget from the command line (issue 17): hgq train --target-ebops/--target-luts
// steers β with the controller, hgq sweep --targets plans one run per target, hgq pareto
// --budget-ebops/--budget-luts/--part lists what fits, best test accuracy first, and every bad
// budget exits 2 with a message naming it.
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "cli_process.h"
#include "store/study.h"

namespace {

using Run = cli_test::CliRun;

std::vector<nlohmann::json> events(const QString& out, const std::string& kind) {
    std::vector<nlohmann::json> v;
    for (const QString& line : out.split('\n', Qt::SkipEmptyParts)) {
        const auto j = nlohmann::json::parse(line.toStdString(), nullptr, false);
        if (j.is_object() && j.value("event", "") == kind) v.push_back(j);
    }
    return v;
}

}  // namespace

class CliBudgetTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString study_;

    QString file(const QString& name) { return dir_.filePath(name); }
    Run hgq(const QStringList& args) { return cli_test::run_program(HGQ_CLI, args, 120000); }
    void expectUsageError(const QStringList& args, const QString& needle) {
        const Run r = hgq(args);
        QVERIFY2(r.code == 2, qPrintable(args.join(' ') + " → " + QString::number(r.code) + r.err));
        QVERIFY2(r.err.contains(needle), qPrintable(args.join(' ') + ": " + r.err));
        QVERIFY2(!r.err.contains("internal error"), qPrintable(r.err));
    }

  private slots:
    void initTestCase();
    void targetSteersBeta();
    void budgetEbopsListsWhatFits();
    void lutBudgetsUseTheStudysCalibration();
    void partsAndFractions();
    void sweepOfTargets();
    void badBudgetsExit2();
};

void CliBudgetTest::initTestCase() {
    QVERIFY(dir_.isValid());
    study_ = file("s.sqlite");
    const Run r = hgq({"train", QString(HGQ_RESOURCES_DIR) + "/examples/digits_mlp.json",
                       "--target-ebops", "3000", "--epochs", "80", "--threads", "1", "--json",
                       "--db", study_});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const auto target = events(r.out, "target");
    QCOMPARE(int(target.size()), 1);
    QCOMPARE(target[0]["target_ebops"].get<double>(), 3000.0);
}

// β is held for the warm-up, then moves; the stored config carries the controller block.
void CliBudgetTest::targetSteersBeta() {
    hgq::store::Study s(study_.toStdString(), hgq::store::Study::Open::ReadOnly);
    const auto run = s.runs().front();
    QCOMPARE(run.config["beta"]["controller"]["target_ebops"].get<double>(), 3000.0);
    const auto epochs = s.epochs(run.id);
    QCOMPARE(int(epochs.size()), 80);
    for (int e = 0; e < 10; ++e) QCOMPARE(epochs[size_t(e)].beta, 1e-6);
    QVERIFY(epochs.back().beta > 1e-5);  // 25k EBOPs at the start ≫ 3k: β rose by decades
    qInfo("epoch 80: EBOPs %.0f, β %.3g", epochs.back().ebops, epochs.back().beta);
    QVERIFY(epochs.back().ebops < 0.5 * epochs.front().ebops);
}

void CliBudgetTest::budgetEbopsListsWhatFits() {
    const Run all = hgq({"pareto", "--all", "--json", "--db", study_});
    QCOMPARE(all.code, 0);
    auto pts = events(all.out, "point");
    QVERIFY(pts.size() >= 2);
    std::sort(pts.begin(), pts.end(),
              [](const auto& a, const auto& b) { return a["ebops"] < b["ebops"]; });
    const int64_t budget = pts[pts.size() / 2]["ebops"].get<int64_t>();
    const Run r = hgq({"pareto", "--all", "--json", "--budget-ebops", QString::number(budget),
                       "--db", study_});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const auto within = events(r.out, "point");
    size_t expected = 0;
    for (const auto& p : pts) expected += p["ebops"].get<int64_t>() <= budget;
    QCOMPARE(within.size(), expected);
    for (size_t k = 0; k < within.size(); ++k) {
        QVERIFY(within[k]["ebops"].get<int64_t>() <= budget);
        QCOMPARE(within[k]["luts_source"].get<std::string>(), std::string("estimated"));
        if (k) QVERIFY(within[k - 1]["test_accuracy"] >= within[k]["test_accuracy"]);
    }
    const Run text = hgq({"pareto", "--budget-ebops", QString::number(budget), "--db", study_});
    QVERIFY(text.out.contains("best test accuracy first"));
    const Run none = hgq({"pareto", "--budget-ebops", "1", "--db", study_});
    QVERIFY2(none.out.contains("no point fits"), qPrintable(none.out));
}

// Two synthesized points (xcup) make a calibration: LUT budgets and targets go through it, and
// the synthesized points report their real LUTs.
void CliBudgetTest::lutBudgetsUseTheStudysCalibration() {
    std::vector<hgq::store::PointRecord> pts;
    {
        hgq::store::Study s(study_.toStdString(), hgq::store::Study::Open::Existing);
        pts = s.points(-1, false);
        QVERIFY(pts.size() >= 2);
        for (size_t k = 0; k < 2; ++k) {
            hgq::store::SynthRecord r;
            r.point_id = pts[k].id, r.tool = "Yosys (test)", r.family = "xcup", r.top = "m";
            r.export_dir = "/nowhere", r.luts = int64_t(1.3 * double(pts[k].ebops_exact));
            s.record_synthesis(r);
        }
    }
    const QString luts = QString::number(int64_t(1.3 * double(pts[0].ebops_exact)));
    const Run r = hgq({"pareto", "--all", "--json", "--budget-luts", luts, "--db", study_});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const auto budget = events(r.out, "budget");
    QVERIFY(budget[0]["lut_fit"].get<std::string>().find("xcup calibration") != std::string::npos);
    bool saw_synth = false;
    for (const auto& p : events(r.out, "point")) {
        QVERIFY(p["luts"].get<double>() <= luts.toDouble());
        saw_synth |= p["luts_source"] == "synthesized";
    }
    QVERIFY(saw_synth);
    const Run t = hgq({"train", QString(HGQ_RESOURCES_DIR) + "/examples/digits_mlp.json",
                       "--target-luts", "2000", "--epochs", "3", "--threads", "1", "--db", study_});
    QVERIFY2(t.code == 0, qPrintable(t.err));
    QVERIFY2(t.out.contains("2000 LUTs = ") && t.out.contains("xcup calibration"),
             qPrintable(t.out));
    expectUsageError({"pareto", "--budget-luts", "500", "--family", "xc7", "--db", study_},
                     "no LUT calibration for xc7");
    // A study with no syntheses at all: the default fit, said so.
    const Run d = hgq({"train", QString(HGQ_RESOURCES_DIR) + "/examples/digits_mlp.json",
                       "--target-luts", "2000", "--epochs", "2", "--threads", "1", "--db",
                       file("fresh.sqlite")});
    QVERIFY2(d.code == 0 && d.out.contains("default fit"), qPrintable(d.out + d.err));
}

void CliBudgetTest::partsAndFractions() {
    const Run r = hgq({"pareto", "--part", "xcvu9p", "--fraction", "0.02", "--db", study_});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("xcvu9p · 2 % of 1,182,240 LUTs = 23,644 LUTs"), qPrintable(r.out));
    const Run full = hgq({"pareto", "--part", "XCVU9P-FLGA2104-2-E", "--json", "--db", study_});
    QCOMPARE(full.code, 0);
    QCOMPARE(events(full.out, "budget")[0]["luts"].get<double>(), 1182240.0);
    expectUsageError({"pareto", "--part", "xc9z999", "--db", study_}, "xcvu13p");
}

void CliBudgetTest::sweepOfTargets() {
    const Run r = hgq({"sweep", QString(HGQ_RESOURCES_DIR) + "/examples/digits_mlp.json",
                       "--targets", "2000:8000:2", "--epochs", "12", "--db", file("sweep.sqlite"),
                       "--json"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    hgq::store::Study s(file("sweep.sqlite").toStdString(), hgq::store::Study::Open::ReadOnly);
    const auto runs = s.runs();
    QCOMPARE(int(runs.size()), 2);
    QCOMPARE(QString::fromStdString(runs[0].name), QString("digits-mlp target=2000"));
    QCOMPARE(runs[1].config["beta"]["controller"]["target_ebops"].get<double>(), 8000.0);
    QCOMPARE(runs[1].config["beta"]["controller"]["i"].get<double>(), 18.0 / 12);
}

void CliBudgetTest::badBudgetsExit2() {
    const QString cfg = QString(HGQ_RESOURCES_DIR) + "/examples/digits_mlp.json";
    expectUsageError({"train", cfg, "--target-ebops", "0", "--db", file("x.sqlite")},
                     "--target-ebops");
    expectUsageError({"train", cfg, "--target-ebops", "lots", "--db", file("x.sqlite")},
                     "--target-ebops");
    expectUsageError({"train", cfg, "--target-luts", "-5", "--db", file("x.sqlite")},
                     "--target-luts");
    expectUsageError({"train", cfg, "--target-luts", "900", "--family", "xc9000", "--db",
                      file("x.sqlite")},
                     "xc9000");
    QVERIFY(!QFile::exists(file("x.sqlite")) || hgq({"runs", "--db", file("x.sqlite")}).out.count("digits") == 0);
    expectUsageError({"sweep", cfg, "--targets", "0:100:3", "--db", file("x.sqlite")}, "--targets");
    expectUsageError({"sweep", cfg, "--targets", "100:1000:3", "--betas", "1e-6:1e-4:2", "--db",
                      file("x.sqlite")},
                     "exactly one");
    expectUsageError({"pareto", "--budget-ebops", "-1", "--db", study_}, "--budget-ebops");
    expectUsageError({"pareto", "--budget-ebops", "100", "--part", "xcvu9p", "--db", study_},
                     "excludes");
    expectUsageError({"pareto", "--part", "xcvu9p", "--fraction", "2", "--db", study_}, "--fraction");
    auto env = cli_test::cli_environment();
    env.insert("HGQ_RESOURCES", file("empty"));
    const Run r = cli_test::run_program(HGQ_CLI, {"pareto", "--part", "xcvu9p", "--db", study_},
                                        60000, env);
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("parts.json"), qPrintable(r.err));
}

QTEST_GUILESS_MAIN(CliBudgetTest)
#include "test_cli_budget.moc"
