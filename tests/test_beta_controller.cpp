// SPDX-License-Identifier: GPL-3.0-or-later
// The β controller (issue 17): its law against hand-computed steps (warm-up hold, bumpless start,
// PID in log space, clamps without wind-up, damping), the strict config block, and a real
// training steered to a target whose resume from a mid-run state is identical to a run never
// stopped (the controller's state travels with the optimizer's).
#include <QtTest>
#include <cmath>

#include "config/experiment.h"
#include "core/error.h"
#include "jobs/sweep_plan.h"
#include "train/beta_controller.h"
#include "train/trainer.h"

using namespace hgq;

namespace {

void expect_config_error(const nlohmann::json& beta, std::initializer_list<const char*> needles) {
    nlohmann::json cfg = nlohmann::json::parse(R"({"data": {"source": "digits"},
        "model": [{"layer": "dense", "units": 10}]})");
    cfg["beta"] = beta;
    try {
        parse_experiment(cfg, "cfg.json");
        QFAIL(("no error for " + beta.dump()).c_str());
    } catch (const Error& e) {
        qInfo("%s", e.what());
        QCOMPARE(int(e.kind()), int(ErrorKind::BadInput));
        for (const char* n : needles)
            QVERIFY2(std::string(e.what()).find(n) != std::string::npos, n);
    }
}

}  // namespace

class BetaControllerTest : public QObject {
    Q_OBJECT
  private slots:
    void warmupHoldsThenStartsBumpless();
    void stepsFollowTheLawInLogSpace();
    void clampsDoNotWindUp();
    void dampingUnderTheTarget();
    void stateRoundTrips();
    void configIsStrict();
    void setTargetKeepsOrSizesGains();
    void steeredRunResumesIdentically();
};

// Warm-up: β = init for epochs 0..W-1 whatever the EBOPs. The first controlled epoch (W) gets
// the same β (the integral absorbs it), so nothing jumps at the switch.
void BetaControllerTest::warmupHoldsThenStartsBumpless() {
    BetaControllerConfig c;
    c.target_ebops = 1000, c.warmup_epochs = 3, c.init = 1e-5;
    BetaController b(c);
    for (int e = 0; e < 2; ++e) {
        QCOMPARE(b.beta(), 1e-5);
        b.observe(e, 1e6);  // far above the target: still held
    }
    QCOMPARE(b.beta(), 1e-5);
    b.observe(2, 5000);  // the last warm-up epoch: control starts, β unchanged
    QVERIFY2(std::abs(b.beta() / 1e-5 - 1) < 1e-12, qPrintable(QString::number(b.beta())));
}

// After the start: log10 β moves by p·Δe + i·e + d·ΔD per epoch. Table of (EBOPs) steps with
// the expected β computed by hand from the law.
void BetaControllerTest::stepsFollowTheLawInLogSpace() {
    BetaControllerConfig c;
    c.target_ebops = 1000, c.warmup_epochs = 0, c.init = 1e-6, c.p = 1.0, c.i = 0.05, c.d = 0.5;
    BetaController b(c);
    const double ebops[] = {10000, 5000, 2000, 1000, 500, 800};
    double log_beta = -6, e_prev = 0, d_prev = 0;
    double max_diff = 0;
    for (int k = 0; k < 6; ++k) {
        b.observe(k, ebops[k]);
        const double e = std::log10(ebops[k] / 1000);
        if (k > 0) {  // k = 0 is the bumpless start: β stays
            const double d = e - e_prev;
            log_beta += c.p * (e - e_prev) + c.i * e + c.d * (d - d_prev);
            d_prev = d;
        }
        e_prev = e;
        max_diff = std::max(max_diff, std::abs(std::log10(b.beta()) - log_beta));
    }
    qInfo("max |log10 β − hand law| = %.3g", max_diff);
    QVERIFY(max_diff < 1e-12);
    QVERIFY(b.beta() < 1e-6);  // under the target at the end (800 < 1000): β came down
}

// A target that cannot be reached at β = max: β stays clamped and, once the EBOPs drop below
// the target, comes off the clamp at the next epoch instead of unwinding a huge integral.
void BetaControllerTest::clampsDoNotWindUp() {
    BetaControllerConfig c;
    c.target_ebops = 100, c.warmup_epochs = 0, c.init = 1e-3, c.max = 1e-2, c.i = 0.5;
    BetaController b(c);
    for (int k = 0; k < 200; ++k) b.observe(k, 1e6);
    QCOMPARE(b.beta(), 1e-2);
    b.observe(200, 10);  // now far under the target
    QVERIFY2(b.beta() < 1e-2, qPrintable(QString::number(b.beta())));
    BetaController floor(c);
    for (int k = 0; k < 200; ++k) floor.observe(k, 1e-3);  // 0 EBOPs stand in as 1: finite
    QCOMPARE(floor.beta(), c.min);
    QVERIFY(std::isfinite(std::log10(floor.beta())));
}

void BetaControllerTest::dampingUnderTheTarget() {
    BetaControllerConfig c;
    c.target_ebops = 1000, c.warmup_epochs = 0, c.init = 1e-4, c.i = 0.01;
    BetaController plain(c);
    c.damp_under_target = 0.5;
    BetaController damped(c);
    for (BetaController* b : {&plain, &damped}) b->observe(0, 900), b->observe(1, 900);
    QCOMPARE(damped.beta(), plain.beta() * 0.5);
    for (BetaController* b : {&plain, &damped}) b->observe(2, 2000);  // above: no damping
    QCOMPARE(damped.beta(), plain.beta());
}

void BetaControllerTest::stateRoundTrips() {
    BetaControllerConfig c;
    c.target_ebops = 1000, c.warmup_epochs = 1, c.i = 0.1;
    BetaController a(c), b(c);
    for (int k = 0; k < 5; ++k) a.observe(k, 3000 - 400 * k);
    b.restore(a.state());
    a.observe(5, 700), b.observe(5, 700);
    QCOMPARE(b.beta(), a.beta());
    try {
        b.restore({{"beta", 1.0}});
        QFAIL("no error");
    } catch (const Error& e) {
        QVERIFY(std::string(e.what()).find("integral") != std::string::npos);
    }
}

void BetaControllerTest::configIsStrict() {
    const auto ok = parse_experiment(
        nlohmann::json::parse(R"({"data": {"source": "digits"}, "model": [{"layer": "dense",
        "units": 10}], "beta": {"controller": {"target_ebops": 3000, "warmup_epochs": 5,
        "init": 1e-5, "p": 2, "i": 0.01, "d": 0.1, "min": 1e-9, "max": 0.1}}})"),
        "cfg.json");
    QVERIFY(ok.training.beta_controller.has_value());
    const BetaControllerConfig& c = *ok.training.beta_controller;
    QCOMPARE(c.target_ebops, 3000.0);
    QCOMPARE(c.warmup_epochs, 5);
    QCOMPARE(c.init, 1e-5);
    QCOMPARE(c.p, 2.0);
    QCOMPARE(c.max, 0.1);
    expect_config_error({{"controller", {{"target_ebops", 0}}}}, {"target_ebops", "larger than 0"});
    expect_config_error({{"controller", {{"warmup_epochs", 3}}}}, {"target_ebops", "required"});
    expect_config_error({{"controller", {{"target_ebops", 10}, {"gain", 1}}}}, {"gain"});
    expect_config_error({{"controller", {{"target_ebops", 10}, {"init", 5}, {"max", 1}}}},
                        {"init", "[min, max]"});
    expect_config_error({{"controller", {{"target_ebops", 10}, {"min", 0}}}}, {"min"});
    expect_config_error({{"controller", {{"target_ebops", "many"}}}}, {"target_ebops"});
    expect_config_error({{"pid", {{"target_ebops", 10}}}}, {"pid"});
    expect_config_error(42, {"beta", "controller"});
}

void BetaControllerTest::setTargetKeepsOrSizesGains() {
    nlohmann::json cfg = {{"beta", nlohmann::json::array({{{"until_epoch", 5}, {"value", 1e-6}}})}};
    jobs::set_target(cfg, 2500, 300);
    QCOMPARE(cfg["beta"]["controller"]["target_ebops"].get<double>(), 2500.0);
    QCOMPARE(cfg["beta"]["controller"]["i"].get<double>(), 0.06);  // 18 / 300
    QCOMPARE(cfg["beta"]["controller"]["damp_under_target"].get<double>(), 0.5);
    QCOMPARE(jobs::integral_gain_for(100000), 2e-3);                // HGQ2's for long runs
    cfg["beta"]["controller"]["p"] = 3;
    jobs::set_target(cfg, 4000, 300);  // a controller already there keeps its gains
    QCOMPARE(cfg["beta"]["controller"]["p"].get<int>(), 3);
    QCOMPARE(cfg["beta"]["controller"]["target_ebops"].get<double>(), 4000.0);
    QCOMPARE(jobs::parse_target_grid("1000:10000:3")[1], std::sqrt(1000.0 * 10000.0));
    for (const char* bad : {"0:100:3", "1000:abc:3", "1000:2000", "-5:10:2", "10:20:0"}) {
        try {
            jobs::parse_target_grid(bad);
            QFAIL(bad);
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find("--targets") != std::string::npos);
        }
    }
}

// 24 epochs of digits steered to 3,000 EBOPs, state taken every epoch; a second trainer resumed
// from the state after epoch 12 must reproduce epochs 13..24 (β, EBOPs, loss) exactly.
void BetaControllerTest::steeredRunResumesIdentically() {
    ExperimentConfig cfg = load_experiment(HGQ_RESOURCES_DIR "/examples/digits_mlp.json");
    cfg.training.epochs = 24;
    cfg.training.threads = 1;
    cfg.training.state_interval = 0;
    BetaControllerConfig c;
    c.target_ebops = 3000, c.warmup_epochs = 4, c.i = 0.06;
    cfg.training.beta_controller = c;
    const Splits s = load_experiment_data(cfg, HGQ_RESOURCES_DIR);
    std::optional<ResumeState> at12;
    TrainCallbacks cb;
    cb.on_epoch_state = [&](const EpochMetrics& m, const ResumeState* st, const nlohmann::json*,
                            const std::vector<int>&) {
        if (m.epoch == 12 && st) at12 = *st;
    };
    Model m1(cfg.model, s.train.sample_shape, s.train.n_classes, 1);
    const TrainResult full = Trainer(m1, s, cfg.training, cb).run();
    QVERIFY(at12.has_value());
    QVERIFY(at12->optimizer.contains("beta_controller"));
    for (int e = 0; e < 4; ++e) QCOMPARE(full.epochs[size_t(e)].beta, 1e-6);
    QVERIFY(full.epochs.back().beta > 1e-6);  // 25k EBOPs ≫ 3k: β went up
    Model m2(cfg.model, s.train.sample_shape, s.train.n_classes, 1);
    Trainer resumed(m2, s, cfg.training);
    resumed.resume_from(*at12, {});
    const TrainResult rest = resumed.run();
    QCOMPARE(int(rest.epochs.size()), 12);
    double max_diff = 0;
    for (size_t k = 0; k < 12; ++k) {
        const EpochMetrics &a = full.epochs[12 + k], &b = rest.epochs[k];
        QCOMPARE(b.beta, a.beta);
        max_diff = std::max({max_diff, std::abs(a.ebops - b.ebops), std::abs(a.loss - b.loss)});
    }
    qInfo("resumed vs uninterrupted, epochs 13-24: max |Δ| of EBOPs and loss = %g", max_diff);
    QCOMPARE(max_diff, 0.0);
}

QTEST_GUILESS_MAIN(BetaControllerTest)
#include "test_beta_controller.moc"
