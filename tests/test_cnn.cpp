// SPDX-License-Identifier: GPL-3.0-or-later
// HGQ CNNs on the bundled digits (8×8×1): every granularity trains, and the deployed integer
// model of each reproduces the float model exactly wherever nothing overflows.
#include <QtTest>

#include "model_compare.h"

#include "config/experiment.h"
#include "deploy/deploy.h"
#include "nn/conv_geometry.h"
#include "nn/im2col_c1.h"
#include "nn/conv.h"
#include "nn/kernels.h"
#include "nn/narrow_gemm.h"
#include "nn/row_pattern.h"
#include "train/trainer.h"

using namespace hgq;

Q_DECLARE_METATYPE(hgq::Granularity)

class CnnTest : public QObject {
    Q_OBJECT
  private slots:
    void granularities_data() {
        QTest::addColumn<Granularity>("weights");
        QTest::addColumn<Granularity>("activations");
        QTest::newRow("per-weight / per-element")
            << Granularity::PerElement << Granularity::PerElement;
        QTest::newRow("per-channel / per-channel")
            << Granularity::PerChannel << Granularity::PerChannel;
        QTest::newRow("per-layer / per-layer") << Granularity::PerLayer << Granularity::PerLayer;
    }
    void granularities() {
        QFETCH(Granularity, weights);
        QFETCH(Granularity, activations);
        ExperimentConfig cfg = parse_experiment(nlohmann::json::parse(R"({
            "data": {"source": "digits"},
            "model": [{"layer": "input_quantizer"},
                      {"layer": "conv2d", "filters": 6, "kernel_size": 3, "padding": "same", "batchnorm": true, "activation": "relu"},
                      {"layer": "maxpool2d", "pool_size": 2},
                      {"layer": "conv2d", "filters": 8, "kernel_size": [3, 3], "strides": 1, "activation": "relu"},
                      {"layer": "avgpool2d", "pool_size": 2},
                      {"layer": "flatten"},
                      {"layer": "dense", "units": 10, "batchnorm": true}],
            "quantization": {"weights": {"init_fractional_bits": 4}, "activations": {"init_fractional_bits": 4}},
            "training": {"epochs": 12, "batch_size": 64, "threads": 2, "optimizer": {"adam": {"lr": 0.01}}},
            "beta": [{"until_epoch": 12, "value": 1e-6}]})"),
                                                "cnn.json");
        cfg.model.weights.granularity = weights;
        cfg.model.activations.granularity = activations;
        const Splits s = load_experiment_data(cfg, HGQ_RESOURCES_DIR);
        Model m(cfg.model, s.train.sample_shape, s.train.n_classes, 3);
        const TrainResult r = Trainer(m, s, cfg.training).run();
        DeployOptions opt;
        opt.threads = 2;
        const Deployment dep = deploy(m, s.train.x, opt);
        const TraceDiff train = trace_diff(m, dep.model, s.train.x, 2, s.train.y.data());
        const TraceDiff test = trace_diff(m, dep.model, s.test.x, 2, s.test.y.data());
        qInfo(
            "val %.3f; integer test %.3f (float %.3f); exact EBOPs %lld (training %.0f); agree "
            "train "
            "%lld/%lld, test %lld/%lld, overflow-free %lld/%lld",
            r.epochs.back().val_accuracy, double(test.fixed_correct) / double(test.samples),
            double(test.float_correct) / double(test.samples), (long long)dep.ebops,
            r.epochs.back().ebops, (long long)train.argmax_agree, (long long)train.samples,
            (long long)test.argmax_agree, (long long)test.samples, (long long)test.clean_agree,
            (long long)test.clean_samples);
        QVERIFY(r.epochs.back().val_accuracy > 0.8);
        for (size_t l = 0; l < train.layers.size(); ++l) QCOMPARE(train.max_abs_diff[l], 0.0);
        QCOMPARE(train.argmax_agree, train.samples);
        QCOMPARE(test.clean_agree, test.clean_samples);
        QVERIFY(dep.ebops > 0 && double(dep.ebops) <= r.epochs.back().ebops);
        // The batched GEMM path equals the per-sample integer path, code for code.
        const IntTrace fast = dep.model.run(s.test.x, 2, true);
        const IntTrace reference = dep.model.run(s.test.x, 2, false);
        for (size_t l = 0; l < fast.codes.size(); ++l) QCOMPARE(fast.codes[l], reference.codes[l]);
        QCOMPARE(fast.overflows, reference.overflows);
        model_test::check_stored_types(m, dep, s.train.x);  // what a what-if opens
        QCOMPARE(dep.layers.size(), size_t(7));  // input + 6 layers, pools and flatten included
        QVERIFY(dep.layers[1].ebops > 0 && dep.layers[2].ebops == 0);
    }

    // The float engine's single-channel 3×3 im2col (16 positions a block with AVX-512; the last
    // block overlaps the one before) against the definition, on widths around the block size.
    void singleChannelPatchesMatchDefinition() {
        const int sizes[][2] = {{28, 28}, {18, 18}, {19, 40}, {5, 33}, {8, 8}, {30, 17}};
        for (const auto& hw : sizes) {
            const WindowGeometry g = WindowGeometry::make(hw[0], hw[1], 1, 3, 3, 1, 1, false);
            RowVec x(int64_t(hw[0]) * hw[1]);
            fill_uniform(x.data(), x.size(), 1.0f, 11);
            RowVec cols = RowVec::Constant(int64_t(g.positions()) * 9, -7.0f), want(cols.size());
            for (int p = 0; p < g.positions(); ++p)
                for (int k = 0; k < 9; ++k)
                    want[p * 9 + k] = x[(p / g.out_w + k / 3) * g.in_w + p % g.out_w + k % 3];
            im2col_row(g, x.data(), cols.data());
            qInfo("%dx%d: %s path, max |diff| %.1e", hw[0], hw[1],
                  im2col_c1_3x3_applies(g) ? "16-position" : "generic",
                  double((cols - want).cwiseAbs().maxCoeff()));
            QVERIFY(cols == want);
        }
    }

    // The flat centring and row-add passes of the Gram path (nn/row_pattern.h) against Eigen's
    // rowwise forms: equal values, column sums within float rounding of a double sum; widths
    // whose period lcm(k, 16) fits (1, 9, 16, 144) or not (1000), row counts with tails.
    void rowPatternsMatchDefinition() {
        const int shapes[][2] = {{676, 9}, {7, 9}, {256, 16}, {3, 1}, {121, 144}, {5, 1000}};
        for (const auto& rk : shapes) {
            const int64_t rows = rk[0];
            const int k = rk[1];
            Mat x(rows, k), out(rows, k);
            RowVec c(k), sums(k);
            fill_uniform(x.data(), x.size(), 2.0f, 5);
            fill_uniform(c.data(), c.size(), 1.0f, 6);
            centre_rows(x.data(), rows, k, c.data(), out.data(), sums.data());
            const Mat want = x.rowwise() - c;
            const Eigen::RowVectorXd want_sums = want.cast<double>().colwise().sum();
            const double sum_err = (sums.cast<double>() - want_sums).cwiseAbs().maxCoeff();
            Mat added = x;
            add_to_rows(added.data(), rows, k, c.data());
            const Mat want_added = x.rowwise() + c;
            qInfo("(%lld, %d): centred max |diff| %.1e, column sums max |diff| %.1e, added %.1e",
                  (long long)rows, k, double((out - want).cwiseAbs().maxCoeff()), sum_err,
                  double((added - want_added).cwiseAbs().maxCoeff()));
            QVERIFY(out == want);
            QVERIFY(added == want_added);
            QVERIFY(sum_err <= 1e-5 * double(rows));
            Mat only(rows, k);
            centre_rows(x.data(), rows, k, c.data(), only.data(), nullptr);
            QVERIFY(only == want);
        }
    }

    // The broadcast-FMA products of the first convolution (nn/narrow_gemm.h) against Eigen's, on
    // row counts with and without a tail of the 4-row unroll and widths up to 16 on either side.
    void narrowProductsMatchEigen() {
        if (!narrow_gemm_applies(9, 16)) QSKIP("no AVX-512 float kernels in this build");
        const int shapes[][3] = {{676, 9, 16}, {7, 9, 16}, {3, 16, 9}, {121, 9, 9}, {1, 1, 1},
                                 {30, 16, 16}, {5, 4, 13}};
        for (const auto& s : shapes) {
            const int64_t rows = s[0];
            const int k = s[1], n = s[2];
            Mat a(rows, k), b(k, n), d(rows, n), c(rows, n), g(k, n);
            RowVec init(n);
            fill_uniform(a.data(), a.size(), 1.0f, 21);
            fill_uniform(b.data(), b.size(), 1.0f, 22);
            fill_uniform(d.data(), d.size(), 1.0f, 23);
            fill_uniform(init.data(), init.size(), 1.0f, 24);
            fill_uniform(g.data(), g.size(), 1.0f, 25);
            const Mat g0 = g;
            narrow_product(a.data(), rows, k, b.data(), n, init.data(), false, c.data());
            const Mat want = (a * b).rowwise() + init;
            const double init_err = (c - want).cwiseAbs().maxCoeff();
            const Mat c1 = c;
            narrow_product(a.data(), rows, k, b.data(), n, nullptr, true, c.data());
            const double add_err = (c - (c1 + a * b)).cwiseAbs().maxCoeff();
            narrow_transposed_product(a.data(), rows, k, d.data(), n, g.data());
            const double t_err = (g - (g0 + a.transpose() * d)).cwiseAbs().maxCoeff();
            qInfo("(%lld, %d) x (%d, %d): max |diff| %.1e, added %.1e, transposed %.1e",
                  (long long)rows, k, k, n, init_err, add_err, t_err);
            QVERIFY(init_err <= 1e-5 && add_err <= 1e-5);
            QVERIFY(t_err <= 1e-6 * double(rows) + 1e-6);
        }
    }

    // A convolution trained with the disjoint max pool after it (Conv::forward_pooled) against
    // the two layers run apart: the same logits, loss and every gradient, bit for bit, over
    // three steps. Rows cover the 16-channel vector path and the loops, the Gram and the z0
    // batch-norm paths, pools that cover the convolution's output or leave a border, and the
    // one-pass and general masks (per-layer, per-channel, per-element activations).
    void fusedPoolingIsBitIdentical_data() {
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("side");
        QTest::addColumn<bool>("relu");
        QTest::addColumn<Granularity>("activations");
        QTest::newRow("1 channel, 12x12, relu, per-layer (Gram, 16-wide)")
            << 1 << 12 << true << Granularity::PerLayer;
        QTest::newRow("2 channels, 13x13 border, relu, per-channel")
            << 2 << 13 << true << Granularity::PerChannel;
        QTest::newRow("1 channel, 12x12, no relu, per-element")
            << 1 << 12 << false << Granularity::PerElement;
    }
    void fusedPoolingIsBitIdentical() {
        QFETCH(int, channels);
        QFETCH(int, side);
        QFETCH(bool, relu);
        QFETCH(Granularity, activations);
        ModelSpec spec;
        LayerSpec conv1{"conv2d", 16, true, relu}, conv2{"conv2d", 6, true, relu};
        conv1.kh = conv1.kw = conv2.kh = conv2.kw = 3;
        conv1.same = true;
        LayerSpec pool{"maxpool2d"};
        pool.kh = pool.kw = pool.sh = pool.sw = 2;
        spec.layers = {{"input_quantizer"}, conv1, pool, conv2, pool, {"flatten"},
                       {"dense", 3, false, false}};
        spec.activations = {activations, 3, Rounding::Auto};
        const Shape shape{side, side, channels};
        Model fused(spec, shape, 3, 5), apart(spec, shape, 3, 5);
        apart.set_fused_pooling(false);
        const int N = 24;
        Mat x(N, shape_size(shape));
        fill_uniform(x.data(), x.size(), 2.0f, 8);
        std::vector<int32_t> labels(N);
        for (int n = 0; n < N; ++n) labels[n] = (n * 5 + n / 4) % 3;
        fused.prepare_training(x);
        apart.prepare_training(x);
        for (int step = 0; step < 3; ++step) {
            const ForwardContext ctx{true, true, 2, uint64_t(step)};
            QVERIFY(fused.forward(x, ctx) == apart.forward(x, ctx));
            QCOMPARE(fused.activation(2).rows(), 0);  // the first convolution's output: not kept
            QVERIFY(fused.activation(3) == apart.activation(3));
            const LossTerms a = fused.loss(labels.data(), 1e-6f, 0, true, 2);
            const LossTerms b = apart.loss(labels.data(), 1e-6f, 0, true, 2);
            QCOMPARE(a.total, b.total);
            const std::vector<Param> pa = fused.params(), pb = apart.params();
            double largest = 0;
            for (size_t i = 0; i < pa.size(); ++i) {
                for (int64_t e = 0; e < pa[i].size; ++e) {
                    largest = std::max(largest, double(std::fabs(pa[i].grad[e])));
                    if (pa[i].grad[e] != pb[i].grad[e])
                        QFAIL(qPrintable(QString("step %1: %2[%3] %4 fused, %5 apart")
                                             .arg(step)
                                             .arg(QString::fromStdString(pa[i].name))
                                             .arg(e)
                                             .arg(double(pa[i].grad[e]))
                                             .arg(double(pb[i].grad[e]))));
                }
                for (int64_t e = 0; e < pa[i].size; ++e) {  // the same small step on both
                    pa[i].value[e] -= Scalar(0.05) * pa[i].grad[e];
                    pb[i].value[e] -= Scalar(0.05) * pb[i].grad[e];
                }
            }
            QVERIFY(largest > 0);  // the gradients are live, not all zero
            if (step == 2) qInfo("loss %.6f, largest |gradient| %.3e: identical", a.total, largest);
        }
    }
};

QTEST_GUILESS_MAIN(CnnTest)
#include "test_cnn.moc"
