// SPDX-License-Identifier: GPL-3.0-or-later
// The deployed integer model: exact per-layer codes of a hand model, wrap/saturate exactly as
// ap_fixed, the bias pre-shift, exact EBOPs, and agreement with the float model on real data.
#include <QtTest>

#include "deploy/integer_plan.h"
#include <filesystem>

#include "config/experiment.h"
#include "deploy/deploy.h"
#include "hand_model.h"
#include "model_compare.h"
#include "train/trainer.h"

using namespace hgq;
using hgq::test::hand_batch;
using hgq::test::hand_model;

namespace {

// The batched path (exact double GEMMs where sums stay below 2^53) against the per-sample
// integer path: every code and every overflow flag of every layer equal.
void check_gemm_path(const IntegerModel& im, const Mat& x) {
    const IntTrace fast = im.run(x, 2, true), reference = im.run(x, 2, false);
    int gemm = 0;
    for (const auto& p : make_plans(im)) gemm += p.gemm;
    int64_t codes = 0;
    for (size_t l = 0; l < fast.codes.size(); ++l) {
        QCOMPARE(fast.codes[l], reference.codes[l]);
        codes += int64_t(fast.codes[l].size());
    }
    QCOMPARE(fast.overflows, reference.overflows);
    QCOMPARE(fast.sample_overflow, reference.sample_overflow);
    qInfo("batched path: %d layers as exact GEMMs, %lld codes equal to the per-sample path", gemm,
          (long long)codes);
}

// Trains the config's model briefly and checks the integer model against the float one: exactly
// on the calibration (training) data, and on every test sample that nothing overflowed in.
void check_agreement(ExperimentConfig cfg, int epochs, double min_test_agreement) {
    cfg.training.epochs = epochs;
    const Splits s = load_experiment_data(cfg, HGQ_RESOURCES_DIR);
    Model m(cfg.model, s.train.sample_shape, s.train.n_classes, 1);
    Trainer(m, s, cfg.training).run();
    DeployOptions opt;
    opt.threads = 2;
    const Deployment dep = deploy(m, s.train.x, opt);
    const TraceDiff train = trace_diff(m, dep.model, s.train.x, 2);
    const TraceDiff test = trace_diff(m, dep.model, s.test.x, 2);
    for (size_t l = 0; l < train.layers.size(); ++l) {
        qInfo("%-8s train: max |float-fixed| %.3g, %lld overflows; test: %.3g, %lld overflows",
              train.layers[l].c_str(), train.max_abs_diff[l], (long long)train.overflows[l],
              test.max_abs_diff[l], (long long)test.overflows[l]);
        QCOMPARE(train.max_abs_diff[l], 0.0);  // traced ranges: nothing wraps, every code equal
        QCOMPARE(train.overflows[l], int64_t(0));
    }
    qInfo(
        "argmax agreement: train %lld/%lld, test %lld/%lld (%.3f %%), test without overflow "
        "%lld/%lld; "
        "exact EBOPs %lld",
        (long long)train.argmax_agree, (long long)train.samples, (long long)test.argmax_agree,
        (long long)test.samples, 100.0 * double(test.argmax_agree) / double(test.samples),
        (long long)test.clean_agree, (long long)test.clean_samples, (long long)dep.ebops);
    QCOMPARE(train.argmax_agree, train.samples);
    QCOMPARE(test.clean_agree, test.clean_samples);
    QVERIFY(test.clean_samples > test.samples * 9 / 10);
    QVERIFY(double(test.argmax_agree) >= min_test_agreement * double(test.samples));
    check_gemm_path(dep.model, s.test.x);
    model_test::check_stored_types(m, dep, s.train.x);  // what a what-if opens
}

}  // namespace

class DeployTest : public QObject {
    Q_OBJECT
  private slots:
    void handModelCodesAndEbops() {
        Model m = hand_model();
        const Deployment dep = deploy(m, hand_batch(), {});
        const IntTrace t = dep.model.run(hand_batch(), 1);
        // input: ufixed<3,1> (f 2) and fixed<3,2> (f 1): 1.0 -> 4, 0.25 -> 1; -0.5 -> -1, 1.5 -> 3
        QCOMPARE(t.codes[0], (std::vector<int64_t>{4, -1, 1, 3}));
        // dense1 (ReLU, f 2): [0.75, -0.25 -> 0], [0.1875 -> 0.25, 2.375 -> 2.5]
        QCOMPARE(t.codes[1], (std::vector<int64_t>{3, 0, 1, 10}));
        // dense2 (f 2): [0.75, 0.1875 -> 0.25], [1.5, 0.0625 -> 0]
        QCOMPARE(t.codes[2], (std::vector<int64_t>{3, 1, 6, 0}));
        QCOMPARE(dep.model.layers[0].out_fmt[0].ap_type(), std::string("ap_ufixed<2,0>"));
        QCOMPARE(dep.model.layers[0].out_fmt[1].ap_type(), std::string("ap_ufixed<4,2>"));
        QCOMPARE(dep.ebops, int64_t(23));  // hand count in test_quantizer.cpp; training form: 45
        QCOMPARE(dep.layers[1].ebops, int64_t(15));
        QCOMPARE(dep.layers[1].pruned_weights, int64_t(1));
        QVERIFY(dep.model.layers[0].bias_preshifted);
        QCOMPARE(dep.model.layers[0].b_code[0], int64_t(1));  // half an LSB of f 2, at f 3
    }
    void overflowWrapsOrSaturatesLikeApFixed() {
        Model m = hand_model();
        const Deployment wrap = deploy(m, hand_batch(), {});
        Mat far(1, 2);
        far << 3.0, 0.0;  // input 0 is ufixed<3,1>: 3.0 is code 12, outside [0, 7]
        const IntTrace t = wrap.model.run(far, 1);
        QCOMPARE(t.codes[0][0], int64_t(4));  // 12 mod 8: the firmware sees 1.0
        QCOMPARE(t.overflows[0], int64_t(1));
        QCOMPARE(int(t.sample_overflow[0]), 1);
        DeployOptions sat;
        sat.overflow = OMode::SAT;
        const IntTrace s = deploy(m, hand_batch(), sat).model.run(far, 1);
        QCOMPARE(s.codes[0][0], int64_t(7));  // clamped to 1.75
    }
    void biasPreshiftEqualsRnd() {
        Model m = hand_model();
        const Deployment dep = deploy(m, hand_batch(), {});
        IntegerModel rnd = dep.model;  // the same model with RND at the output, no pre-shift
        for (IntLayer& d : rnd.layers) {
            for (int j = 0; j < d.out; ++j) {
                d.b_code[j] -= int64_t(1) << (d.b_f[j] - d.out_fmt[j].F() - 1);
                d.out_fmt[j].q = QMode::RND;
            }
        }
        Mat x(64, 2);
        for (int r = 0; r < 64; ++r)
            x(r, 0) = Scalar(r % 8) / 4, x(r, 1) = Scalar(r / 8) / 2 - 0.5f;
        QCOMPARE(dep.model.run(x, 1).codes, rnd.run(x, 1).codes);
    }
    void coverFactorWidensTypes() {
        Model m = hand_model();
        DeployOptions wide;
        wide.cover_factor = 4.0;  // dense1 unit 1: range [-0.25, 2.5] -> centre 1.125 ± 5.5
        const Deployment a = deploy(m, hand_batch(), {});
        const Deployment b = deploy(m, hand_batch(), wide);
        QVERIFY(b.model.layers[0].out_fmt[1].W > a.model.layers[0].out_fmt[1].W);
        QVERIFY(b.ebops > a.ebops);
    }
    void digitsAgreement() {
        // 359 test digits: one overflowing sample is 0.28 %, so the floor is 99 % here; every
        // sample without overflow must agree exactly.
        check_agreement(load_experiment(HGQ_RESOURCES_DIR "/examples/digits_mlp.json"), 40, 0.99);
    }
    void fashionMnistAgreement() {
        if (!std::filesystem::exists(
                "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
            QSKIP("Fashion-MNIST is not installed: apt-get install dataset-fashion-mnist");
        ExperimentConfig cfg =
            load_experiment(HGQ_RESOURCES_DIR "/examples/fashion_mnist_mlp.json");
        cfg.data.limit = 12000;  // seconds, not minutes: the first 12k training and test images
        check_agreement(cfg, 3, 0.999);
    }
};

QTEST_GUILESS_MAIN(DeployTest)
#include "test_deploy.moc"
