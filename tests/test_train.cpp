// SPDX-License-Identifier: GPL-3.0-or-later
// Schedules, the Pareto tracker, the strict config parser and a short real training.
#include <QTemporaryDir>
#include <QtTest>
#include <array>
#include <cmath>
#include <functional>

#include "config/experiment.h"
#include "core/error.h"
#include "nn/dense.h"
#include "nn/kernels.h"
#include "train/pareto.h"
#include "train/schedule.h"
#include "train/trainer.h"

using namespace hgq;

namespace {
// Expects parse_experiment to throw BadInput whose message contains every `needle`.
void expect_config_error(const char* text, std::initializer_list<const char*> needles) {
    try {
        parse_experiment(nlohmann::json::parse(text), "cfg.json");
        QFAIL("no error");
    } catch (const Error& e) {
        qInfo("%s", e.what());
        QCOMPARE(int(e.kind()), int(ErrorKind::BadInput));
        for (const char* n : needles)
            QVERIFY2(std::string(e.what()).find(n) != std::string::npos, n);
    }
}
using MatD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowD = Eigen::RowVectorXd;

// Σ dy∘y of a fused-BN ReLU dense layer in plain double, unquantized (HGQ v1 form, §9.9).
double reference_loss(const MatD& x, const MatD& W, const RowD& b, const RowD& gamma,
                      const MatD& dy) {
    const MatD z0 = x * W;  // (N, out)
    const RowD mean = z0.colwise().mean();
    const RowD var = (z0.rowwise() - mean).array().square().colwise().mean();
    const RowD s = gamma.array() / (var.array() + 1e-3).sqrt();
    MatD z = (z0.rowwise() - mean).array().rowwise() * s.array();
    z.rowwise() += (b.array() * (1 - s.array())).matrix();
    return (z.cwiseMax(0.0).array() * dy.array()).sum();
}

// Max |engine − central difference| / max |difference| over every `step`-th element of `v`.
double fd_error(MatD& v, const Mat& engine, int step, const std::function<double()>& loss) {
    double worst = 0, scale = 0;
    for (Eigen::Index e = 0; e < v.size(); e += step) {
        const double keep = v.data()[e], h = 1e-7 * std::max(1.0, std::fabs(keep));
        v.data()[e] = keep + h;
        const double up = loss();
        v.data()[e] = keep - h;
        const double down = loss();
        v.data()[e] = keep;
        const double fd = (up - down) / (2 * h);
        worst = std::max(worst, std::fabs(double(engine.data()[e]) - fd));
        scale = std::max(scale, std::fabs(fd));
    }
    return worst / scale;
}

// A 16 → 64 fused-BN dense layer in float32 through both batch-statistics paths, on 2 threads
// (chunks of 256 rows), inputs offset by `offset`: its kernel and input gradients against central
// differences of the layer in double. Returns {Gram dW, Gram dx, z0 dW, z0 dx} errors.
std::array<double, 4> gram_and_z0_errors(double offset) {
    DenseOptions o{64, true, true};
    Dense gram("d", 16, o, 3), plain("d", 16, o, 3);
    plain.set_gram_statistics(false);
    // F at the +23 clip: straight-through, and last-bit differences of the statistics cannot
    // flip a quantized bias.
    for (Dense* d : {&gram, &plain}) {
        d->kernel_q.F.setConstant(23);
        d->output_q.F.setConstant(23);
    }
    Mat x(600, 16), dy(600, 64);  // (N, in), (N, out)
    fill_uniform(x.data(), x.size(), 1, 4);
    x.array() += Scalar(offset);
    fill_uniform(dy.data(), dy.size(), 1, 5);
    std::array<double, 4> err{};
    MatD xd = x.cast<double>(), wd = gram.W.cast<double>();
    const RowD bd = gram.b.cast<double>(), gd = gram.gamma.cast<double>();
    const MatD dyd = dy.cast<double>();
    auto loss = [&] { return reference_loss(xd, wd, bd, gd, dyd); };
    int k = 0;
    for (Dense* d : {&gram, &plain}) {
        Mat y, dx;
        d->forward(x, y, ForwardContext{true, false, 2, 0});
        d->backward(x, y, dy, &dx, 2);
        err[k++] = fd_error(wd, d->dW, 3, loss);
        err[k++] = fd_error(xd, dx, 37, loss);
    }
    qInfo("offset %g: dW %.1e dx %.1e (Gram); dW %.1e dx %.1e (z0) max error / max gradient",
          offset, err[0], err[1], err[2], err[3]);
    return err;
}
}  // namespace

class TrainTest : public QObject {
    Q_OBJECT
  private slots:
    // Both batch-statistics paths of a float32 layer against the same layer in double. The Gram
    // path sums centred inputs (its statistics in double): with inputs offset by 170 standard
    // deviations, where float32 itself loses most digits of x·W in both paths, it must stay at
    // least as accurate as the z0 path (float32 E[x²] − E[x]² would lose the variance).
    void gramStatisticsMatchFiniteDifferences() {
        const auto centred = gram_and_z0_errors(0);
        for (double e : centred) QVERIFY(e < 1e-5);
        const auto offset = gram_and_z0_errors(100);
        QVERIFY(offset[0] < 1.5 * offset[2] + 1e-5);
        QVERIFY(offset[1] < 1.5 * offset[3] + 1e-5);
    }
    void cosineRestarts() {
        LrSchedule s{LrSchedule::Kind::CosineRestarts, 1.0, 4, 0.5, 0.0};
        // lr(e) = ½·m^⌊e/4⌋·(1 + cos(π·(e mod 4)/4))
        QCOMPARE(s.at(0), 1.0);
        QVERIFY(std::fabs(s.at(2) - 0.5) < 1e-12);  // cos(π/2) = 0
        QVERIFY(std::fabs(s.at(1) - 0.5 * (1 + std::sqrt(0.5))) < 1e-12);
        QCOMPARE(s.at(4), 0.5);  // restart at m = 0.5
        LrSchedule floor{LrSchedule::Kind::CosineRestarts, 2.0, 4, 1.0, 0.2};
        QVERIFY(std::fabs(floor.at(2) - (2.0 * (0.9 * 0.5 + 0.1))) < 1e-12);  // α = 0.2 / 2
        QCOMPARE(LrSchedule{}.at(123), 1e-3);
    }
    void betaBlocks() {
        BetaSchedule b;
        b.blocks = {{BetaBlock::Shape::Constant, 10, 1e-6, 1e-6},
                    {BetaBlock::Shape::Geometric, 20, 1e-6, 1e-4},
                    {BetaBlock::Shape::Linear, 30, 0.0, 1.0}};
        QCOMPARE(b.at(0), 1e-6);
        QCOMPARE(b.at(9), 1e-6);
        QCOMPARE(b.at(10), 1e-6);
        QVERIFY(std::fabs(b.at(15) - 1e-5) < 1e-18);  // halfway on a log scale
        QCOMPARE(b.at(25), 0.5);
        QCOMPARE(b.at(1000), 1.0);  // the last block's end value holds
    }
    void paretoKeepsOnlyNonDominated() {
        ParetoTracker t;
        int snaps = 0;
        auto snap = [&] {
            ++snaps;
            return nlohmann::json(snaps);
        };
        QVERIFY(t.offer({1, 0.80, 0, 1000, 0, {}}, snap));
        QVERIFY(t.offer({2, 0.90, 0, 2000, 0, {}}, snap));   // better acc, more EBOPs: both kept
        QVERIFY(!t.offer({3, 0.80, 0, 1000, 0, {}}, snap));  // equal to a kept point: discarded
        QVERIFY(!t.offer({4, 0.85, 0, 2500, 0, {}}, snap));  // dominated by epoch 2
        QVERIFY(t.offer({5, 0.90, 0, 900, 0, {}}, snap));    // beats both
        QCOMPARE(t.size(), size_t(1));
        QCOMPARE(t.front()[0].epoch, 5);
        QCOMPARE(snaps, 3);  // snapshots are taken only for kept checkpoints
        QVERIFY(t.offer({6, 0.95, 0, 5000, 0, {}}, snap));
        QCOMPARE(t.front()[0].epoch, 5);  // sorted by EBOPs
        QCOMPARE(t.front()[1].epoch, 6);
    }
    void configErrorsNameTheField() {
        expect_config_error(
            R"({"data": {"source": "digits"}, "model": [{"layer": "input_quantizer"}],
                               "training": {"epochs": -3}})",
            {"cfg.json", "training.epochs"});
        expect_config_error(
            R"({"data": {"source": "digits"}, "model": [{"layer": "input_quantizer"}],
                               "quantization": {"weights": {"granularity": "per-row"}}})",
            {"quantization.weights.granularity", "per-row"});
        expect_config_error(R"({"data": {"source": "digits", "pth": "x"}, "model": []})",
                            {"data.pth"});
        expect_config_error(R"({"data": {"source": "mnist"}, "model": []})",
                            {"data.source", "mnist"});
        expect_config_error(
            R"({"data": {"source": "digits"}, "model": [{"layer": "input_quantizer"}],
                               "beta": [{"until_epoch": 10, "value": 1e-6}, {"until_epoch": 5, "value": 1}]})",
            {"beta[1].until_epoch"});
        expect_config_error(R"({"data": {"source": "csv"}, "model": []})",
                            {"data.path", "required"});
    }
    void configParsesTheDesignExample() {
        const auto c = parse_experiment(nlohmann::json::parse(R"({
            "name": "d", "data": {"source": "digits"}, "split": {"validation": 0.1, "test": 0.3, "seed": 7},
            "model": [{"layer": "input_quantizer"}, {"layer": "dense", "units": 10, "batchnorm": true, "activation": "relu"}],
            "quantization": {"weights": {"granularity": "per-channel", "init_fractional_bits": 3},
                             "activations": {"granularity": "per-layer", "rounding": "TRN"}, "gamma": 1e-5},
            "training": {"epochs": 7, "batch_size": 32, "optimizer": {"adam": {"lr": 0.01}},
                         "lr_schedule": {"cosine_restarts": {"period": 5, "decay": 0.9, "min": 1e-4}}},
            "beta": [{"until_epoch": 7, "from": 1e-6, "to": 1e-3, "shape": "geometric"}]})"),
                                        "x.json");
        QCOMPARE(c.validation_fraction, 0.1);
        QCOMPARE(c.split_seed, uint64_t(7));
        QCOMPARE(int(c.model.weights.granularity), int(Granularity::PerChannel));
        QCOMPARE(double(c.model.weights.init_bits), 3.0);
        QCOMPARE(int(c.model.activations.rounding), int(Rounding::TRN));
        QCOMPARE(c.model.layers[1].units, 10);
        QVERIFY(c.model.layers[1].batchnorm && c.model.layers[1].relu);
        QCOMPARE(c.training.gamma, 1e-5);
        QCOMPARE(c.training.lr.period, 5);
        QCOMPARE(c.training.beta.at(0), 1e-6);
    }
    void trainingLearnsAndCancels();
};

// A real (short) training on the bundled digits: accuracy well above chance, the registers and
// β wired through, and a cancel token that stops at the next batch.
void TrainTest::trainingLearnsAndCancels() {
    ExperimentConfig cfg = load_experiment(HGQ_RESOURCES_DIR "/examples/digits_mlp.json");
    cfg.training.epochs = 15;
    const Splits s = load_experiment_data(cfg, HGQ_RESOURCES_DIR);
    Model model(cfg.model, s.train.sample_shape, s.train.n_classes, 1);
    int kept = 0, epochs = 0;
    TrainCallbacks counting;
    counting.on_epoch = [&](const EpochMetrics& m) {
        epochs += 1;
        QCOMPARE(m.epoch, epochs);
    };
    counting.on_checkpoint = [&](const Checkpoint& c) {
        ++kept;
        QVERIFY(c.snapshot.contains("dense1"));
    };
    Trainer t(model, s, cfg.training, counting);
    const TrainResult r = t.run();
    QCOMPARE(epochs, 15);
    QVERIFY(kept >= int(r.pareto.size()));
    QCOMPARE(int(r.epochs.size()), 15);
    qInfo("epoch 15: val %.3f, EBOPs %.0f", r.epochs.back().val_accuracy, r.epochs.back().ebops);
    QVERIFY(r.epochs.back().val_accuracy > 0.85);
    QVERIFY(r.pareto.size() >= 1);
    QVERIFY(r.epochs.back().ebops > 0);

    std::atomic<bool> cancel{false};
    int epochs_seen = 0;
    TrainCallbacks cb;
    cb.on_epoch = [&](const EpochMetrics&) {
        if (++epochs_seen == 2) cancel = true;
    };
    Model m2(cfg.model, s.train.sample_shape, s.train.n_classes, 2);
    Trainer t2(m2, s, cfg.training, cb, &cancel);
    const TrainResult r2 = t2.run();
    QVERIFY(r2.cancelled);
    QCOMPARE(int(r2.epochs.size()), 2);
}

QTEST_GUILESS_MAIN(TrainTest)
#include "test_train.moc"
