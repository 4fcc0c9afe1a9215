// SPDX-License-Identifier: GPL-3.0-or-later
// Open-tool synthesis (hgq synth): yosys stat parsing (table-driven), the power-law calibration
// fit, a real yosys run on a trained digits point stored in the study and read back, schema
// migration v1 → v2, and the failures a user meets: no yosys, an HLS folder, a broken netlist,
// a cancelled run.
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <cmath>
#include <fstream>
#include <thread>
#include "cli_process.h"

#include "core/error.h"
#include "core/power_law.h"
#include "core/subprocess.h"
#include "export/yosys_synth.h"
#include "store/sqlite_db.h"
#include "store/study.h"

using namespace hgq;

namespace {

using Run = cli_test::CliRun;

// hgq, with PATH replaced when `path_env` is given (to hide yosys).
Run hgq_cli(const QStringList& args, const QString& path_env = {}) {
    auto env = cli_test::cli_environment();
    if (!path_env.isNull()) env.insert("PATH", path_env);
    return cli_test::run_program(HGQ_CLI, args, 600000, env);
}

// A copy of a study, its write-ahead log included (committed rows may still live there).
void copy_study(const QString& from, const QString& to) {
    QVERIFY(QFile::copy(from, to));
    if (QFile::exists(from + "-wal")) QVERIFY(QFile::copy(from + "-wal", to + "-wal"));
}

nlohmann::json stat_json(const std::string& cells) {
    return nlohmann::json::parse(R"({"creator": "Yosys 0.23", "modules": {"\\top": {
        "num_cells": 100, "num_cells_by_type": )" +
                                 cells + "}}}");
}

}  // namespace

class SynthTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString file(const QString& n) { return dir_.filePath(n); }
    qint64 point_ = 0;

  private slots:
    void statCountsByCellType_data() {
        QTest::addColumn<QString>("cells");
        QTest::addColumn<qint64>("luts");
        QTest::addColumn<qint64>("carry");
        QTest::addColumn<qint64>("ff");
        QTest::addColumn<qint64>("muxf");
        QTest::newRow("lut sizes and inverters") << R"({"LUT1": 1, "LUT2": 20, "LUT6": 300,
            "INV": 4, "IBUF": 9, "OBUF": 3})" << 325LL
                                                 << 0LL << 0LL << 0LL;
        QTest::newRow("7-series carry and flops") << R"({"LUT3": 7, "CARRY4": 11, "FDRE": 40,
            "FDSE": 2, "FDCE": 1, "FDPE": 1})" << 7LL
                                                  << 11LL << 44LL << 0LL;
        QTest::newRow("UltraScale carry and wide muxes") << R"({"LUT5": 5, "CARRY8": 3,
            "MUXF7": 6, "MUXF8": 2, "MUXF9": 1, "BUFG": 1})"
                                                         << 5LL << 3LL << 0LL << 9LL;
        QTest::newRow("empty module") << "{}" << 0LL << 0LL << 0LL << 0LL;
    }
    void statCountsByCellType() {
        QFETCH(QString, cells);
        QFETCH(qint64, luts);
        QFETCH(qint64, carry);
        QFETCH(qint64, ff);
        QFETCH(qint64, muxf);
        const auto r = parse_yosys_stat(stat_json(cells.toStdString()), "top", "stat.json");
        QCOMPARE(qint64(r.luts), luts);
        QCOMPARE(qint64(r.carry), carry);
        QCOMPARE(qint64(r.ff), ff);
        QCOMPARE(qint64(r.muxf), muxf);
        QCOMPARE(qint64(r.cells), 100LL);
        QCOMPARE(r.tool, std::string("Yosys 0.23"));
    }

    void malformedStatNamesTheFile() {
        const std::pair<nlohmann::json, std::string> cases[] = {
            {nlohmann::json::parse("[]"), "modules"},
            {stat_json("{}").at("modules").at("\\top"), "modules"},
            {nlohmann::json::parse(R"({"modules": {"\\other": {}}})"), "no module \\top"},
            {stat_json(R"({"LUT6": -1})"), "not a count"},
            {stat_json(R"({"LUT6": "many"})"), "not a count"}};
        for (const auto& [j, what] : cases) {
            try {
                parse_yosys_stat(j, "top", "/x/synth/stat.json");
                QFAIL(("accepted: " + j.dump()).c_str());
            } catch (const Error& e) {
                QVERIFY2(std::string(e.what()).find("/x/synth/stat.json") != std::string::npos,
                         e.what());
                QVERIFY2(std::string(e.what()).find(what) != std::string::npos, e.what());
            }
        }
    }

    void powerLawFit() {
        std::vector<double> x{300, 1e3, 4e3, 2e4, 1e5}, y;
        for (double v : x) y.push_back(2.5 * std::pow(v, 0.85));
        PowerLaw f = fit_power_law(x, y);
        qInfo("exact power law: k = %.12f, c = %.12f, R^2 = %.15f", f.exponent, f.coefficient,
              f.r2);
        QVERIFY(std::abs(f.exponent - 0.85) < 1e-12 && std::abs(f.coefficient - 2.5) < 1e-9);
        QVERIFY(std::abs(f.r2 - 1) < 1e-12 && f.points == 5);
        y[2] *= 1.5;  // scatter lowers R², not below what the other four points explain
        f = fit_power_law(x, y);
        QVERIFY(f.r2 < 0.999 && f.r2 > 0.9);
        x.push_back(-1), y.push_back(10);  // non-positive values cannot be on a log axis
        QCOMPARE(fit_power_law(x, y).points, 5);
        QVERIFY(!fit_power_law({1e3, 1e3}, {5, 7}).valid());
        // Equal x whose logs differ by rounding only: still no line.
        QVERIFY(!fit_power_law({1005, 1005, 1005}, {900, 1000, 1150}).valid());
        QVERIFY(!fit_power_law({1e3}, {5}).valid());
    }

    void synthesizesAPointAndStoresItsCounts() {
        if (!tool_on_path("yosys")) QSKIP("yosys is not installed (Debian package yosys)");
        std::ifstream in(std::string(HGQ_RESOURCES_DIR) + "/examples/digits_mlp.json");
        nlohmann::json cfg = nlohmann::json::parse(in);
        cfg["training"]["epochs"] = 30;
        cfg["beta"] = nlohmann::json::parse(R"([{"until_epoch": 30, "value": 2e-4}])");  // small
        std::ofstream(file("digits.json").toStdString()) << cfg.dump();
        const Run t = hgq_cli({"train", file("digits.json"), "--db", file("s.sqlite")});
        QVERIFY2(t.code == 0, qPrintable(t.err));
        store::Study study(file("s.sqlite").toStdString(), store::Study::Open::ReadOnly);
        const auto points = study.points(-1, false);
        QVERIFY(!points.empty());
        point_ = points.front().id;
        const Run s = hgq_cli(
            {"synth", "--point", QString::number(point_), "--db", file("s.sqlite"), "--json"});
        QVERIFY2(s.code == 0, qPrintable(s.err + s.out));
        const auto j = nlohmann::json::parse(s.out.trimmed().split('\n').first().toStdString());
        const auto stored = study.syntheses();
        QCOMPARE(int(stored.size()), 1);
        const store::SynthRecord& r = stored.front();
        qInfo(
            "point %lld: %lld exact EBOPs -> %lld LUTs, %lld CARRY, %lld FF (%.2f LUT/EBOP) in "
            "%.1f s",
            (long long)point_, (long long)r.ebops_exact, (long long)r.luts, (long long)r.carry,
            (long long)r.ff, double(r.luts) / double(r.ebops_exact), r.seconds);
        QCOMPARE(r.point_id, int64_t(point_));
        QCOMPARE(r.luts, j["luts"].get<int64_t>());
        QCOMPARE(r.ebops_exact, points.front().ebops_exact);
        QVERIFY(r.carry > 0);        // adders map to carry chains
        QCOMPARE(r.ff, int64_t(0));  // combinational export
        // Two-input adders of exact width cost about one LUT per EBOP; a regression to
        // carry-less multi-operand trees doubles it.
        QVERIFY2(r.luts > 0.5 * double(r.ebops_exact) && r.luts < 2.5 * double(r.ebops_exact),
                 "LUTs far from EBOPs");
        QVERIFY(QFile::exists(file("s.sqlite.synth/point-%1/synth/yosys.log").arg(point_)));
    }

    // The same point without sharing (hgq synth --no-cse): its own row and its own fit, never
    // mixed with the shared one. (On the smallest digits points sharing saves nothing: within
    // a few percent either way; on the largest it saves 14 %.)
    void adderModesAreKeptApart() {
        if (point_ == 0) QSKIP("needs the synthesized study");
        const Run s = hgq_cli({"synth", "--point", QString::number(point_), "--db",
                               file("s.sqlite"), "--no-cse", "--json"});
        QVERIFY2(s.code == 0, qPrintable(s.err + s.out));
        const auto lines = s.out.trimmed().split('\n');
        const auto fit = nlohmann::json::parse(lines.last().toStdString());
        QCOMPARE(fit["adder_mode"].get<std::string>(), std::string("unshared"));
        QCOMPARE(fit["family"].get<std::string>(), std::string("xcup"));
        store::Study study(file("s.sqlite").toStdString(), store::Study::Open::ReadOnly);
        QCOMPARE(int(study.syntheses(-1, "xcup").size()), 2);  // one per point, family and mode
        const auto shared = study.syntheses(-1, "xcup", "shared");
        const auto unshared = study.syntheses(-1, "xcup", "unshared");
        QCOMPARE(int(shared.size()), 1);
        QCOMPARE(int(unshared.size()), 1);
        qInfo("point %lld: %lld LUTs shared, %lld unshared (ratio %.3f); yosys %.1f s / %.1f s",
              (long long)point_, (long long)shared[0].luts, (long long)unshared[0].luts,
              double(shared[0].luts) / double(unshared[0].luts), shared[0].seconds,
              unshared[0].seconds);
        QVERIFY(shared[0].luts != unshared[0].luts);  // really two different netlists
        QVERIFY(shared[0].luts < 1.1 * double(unshared[0].luts));
        QCOMPARE(store::main_synth_mode(study.syntheses(), "xcup"), std::string("shared"));  // tie
    }

    void familiesAreKeptApart() {
        if (point_ == 0) QSKIP("needs the synthesized study");
        copy_study(file("s.sqlite"), file("families.sqlite"));
        store::Study s(file("families.sqlite").toStdString(), store::Study::Open::Existing);
        // (adderModesAreKeptApart left an unshared xcup row too: shared rows only here.)
        store::SynthRecord r = s.syntheses(-1, "", "shared").front();
        r.family = "xc7", r.luts = 123;
        s.record_synthesis(r);
        const auto shared = s.syntheses(-1, "", "shared");
        QCOMPARE(int(shared.size()), 2);  // one per point and family
        QCOMPARE(s.syntheses(-1, "xc7").front().luts, int64_t(123));
        QVERIFY(s.syntheses(-1, "xcup", "shared").front().luts != 123);
        QCOMPARE(store::main_synth_family(shared), std::string("xc7"));  // tie: by name
    }

    void olderStudiesMigrate() {
        if (point_ == 0) QSKIP("needs the synthesized study");
        copy_study(file("s.sqlite"), file("v1.sqlite"));
        {
            store::Db db(file("v1.sqlite").toStdString(), store::Db::Mode::ReadWrite);
            db.exec("ALTER TABLE points DROP COLUMN edits");  // version 6's
            db.exec("ALTER TABLE points DROP COLUMN parent_id");
            db.exec("DROP TABLE cluster_tasks");  // version 4's
            db.exec("DROP TABLE syntheses");
            db.exec("ALTER TABLE runs DROP COLUMN data_hash");  // version 3's
            db.exec("PRAGMA user_version = 1");
        }
        {  // read-only: a version-1 study reads, with no syntheses
            store::Study ro(file("v1.sqlite").toStdString(), store::Study::Open::ReadOnly);
            QCOMPARE(ro.schema_version(), int64_t(1));
            QVERIFY(ro.syntheses().empty());
            QVERIFY(!ro.points(-1, false).empty());
        }
        store::Study rw(file("v1.sqlite").toStdString(), store::Study::Open::Existing);
        QVERIFY(rw.syntheses().empty());
        store::Study again(file("v1.sqlite").toStdString(), store::Study::Open::ReadOnly);
        QCOMPARE(again.schema_version(), int64_t(store::kSchemaVersion));
    }

    void brokenNetlistAndWrongFoldersFail() {
        if (point_ == 0) QSKIP("needs the synthesized study");
        const QString dir = file("s.sqlite.synth/point-%1").arg(point_);
        const std::string v = (dir + "/verilog/hgq_model.v").toStdString();
        std::ofstream(v, std::ios::app) << "\nmodule broken(input wire a; endmodule\n";
        Run r = hgq_cli({"synth", dir, "--no-store"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("yosys failed") && r.err.contains("yosys.log"), qPrintable(r.err));
        // An HLS export is not Verilog.
        r = hgq_cli({"export", "--db", file("s.sqlite"), "--point", QString::number(point_),
                     "--out", file("hls"), "--vectors", "5"});
        QCOMPARE(r.code, 0);
        r = hgq_cli({"synth", file("hls")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--format verilog"), qPrintable(r.err));
        r = hgq_cli({"synth", file("nowhere")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("hgq_export.json"), qPrintable(r.err));
        r = hgq_cli({"synth", dir, "--family", "xc9000"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("xc9000"), qPrintable(r.err));
    }

    void missingYosysNamesThePackage() {
        if (point_ == 0) QSKIP("needs the synthesized study");
        const Run r = hgq_cli({"synth", "--point", QString::number(point_), "--db",
                               file("s.sqlite"), "--out", file("no-yosys")},
                              file("empty-path"));
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("apt-get install yosys"), qPrintable(r.err));
    }

    void cancelStopsYosys() {
        if (point_ == 0) QSKIP("needs the synthesized study");
        const QString dir = file("s.sqlite.synth/point-%1").arg(point_);
        // The netlist was broken above: export it afresh.
        const Run e =
            hgq_cli({"export", "--db", file("s.sqlite"), "--point", QString::number(point_),
                     "--out", dir, "--format", "verilog", "--force", "--vectors", "5"});
        QCOMPARE(e.code, 0);
        std::atomic<bool> stop{false};
        std::atomic<int> stages{0};
        SynthOptions opt;
        opt.cancel = &stop;
        opt.on_stage = [&](const std::string&) { ++stages; };
        std::thread canceller([&] {
            while (stages < 3) std::this_thread::sleep_for(std::chrono::milliseconds(5));
            stop = true;
        });
        QElapsedTimer clock;
        clock.start();
        try {
            synthesize_export(dir.toStdString(), opt);
            canceller.join();
            QFAIL("a cancelled synthesis returned counts");
        } catch (const Error& err) {
            canceller.join();
            QVERIFY2(std::string(err.what()).find("cancelled") != std::string::npos, err.what());
        }
        qInfo("cancelled after %d yosys passes; stopped within %lld ms", stages.load(),
              clock.elapsed());
        QVERIFY(stages >= 3);
    }
};

QTEST_GUILESS_MAIN(SynthTest)
#include "test_synth.moc"
