// SPDX-License-Identifier: GPL-3.0-or-later
// Table-driven cases of the HGQ quantizer and its bit counting (spec §1.2–1.4, golden README §3),
// every expected value worked out by hand in the row's comment.
#include <QtTest>
#include <nlohmann/json.hpp>

#include "cost/exact.h"
#include "hand_model.h"
#include "nn/model.h"
#include "quant/quantizer.h"

using namespace hgq;

namespace {
Quantizer activation_q(int n, int channels, Granularity g, Rounding r, bool relu,
                       std::vector<Scalar> F) {
    Quantizer q;
    q.build(Quantizer::Role::Activation, n, channels, g, r, relu);
    for (size_t i = 0; i < F.size(); ++i) q.F[i] = F[i];
    q.prepare();
    return q;
}
std::vector<Scalar> row(const RowVec& v) {
    return {v.data(), v.data() + v.size()};
}
}  // namespace

class QuantizerTest : public QObject {
    Q_OBJECT
  private slots:
    void quantize_data() {
        QTest::addColumn<double>("F");
        QTest::addColumn<int>("rounding");
        QTest::addColumn<double>("x");
        QTest::addColumn<double>("q");
        // clang-format off: one table row per line
        const int RND = int(Rounding::RND), TRN = int(Rounding::TRN);
        QTest::newRow("RND tie +2.5 steps goes up") << 2.0 << RND << 0.625 << 0.75;
        QTest::newRow("RND tie -10.5 steps goes up") << 3.0 << RND << -1.3125 << -1.25;
        QTest::newRow("RND tie -1.5 steps goes up") << 2.0 << RND << -0.375 << -0.25;
        QTest::newRow("RND below tie") << 2.0 << RND << 0.6 << 0.5;  // 2.4 steps
        QTest::newRow("RND on grid") << 1.0 << RND << -1.5 << -1.5;
        QTest::newRow("TRN negative mid-grid floors") << 2.0 << TRN << -0.625 << -0.75;
        QTest::newRow("TRN negative small") << 3.0 << TRN << -0.0625 << -0.125;
        QTest::newRow("TRN positive mid-grid") << 2.0 << TRN << 0.375 << 0.25;
        QTest::newRow("TRN on grid unchanged") << 2.0 << TRN << 0.75 << 0.75;
        QTest::newRow("TRN positive to zero") << 3.0 << TRN << 0.0625 << 0.0;
        QTest::newRow("F 2.5 rounds to 2 (half even)") << 2.5 << RND << 0.3 << 0.25;  // 1.2 steps
        QTest::newRow("F 3.5 rounds to 4 (half even)")
            << 3.5 << RND << 0.3 << 0.3125;  // 4.8 -> 5/16
        QTest::newRow("F -0.5 rounds to 0") << -0.5 << RND << -0.61 << -1.0;
        QTest::newRow("negative f: step 2") << -1.0 << RND << 2.9 << 2.0;  // 1.45 steps
        QTest::newRow("negative f prunes a small weight") << -1.0 << RND << 0.191 << 0.0;
        QTest::newRow("F clipped to +23") << 30.0 << RND << 1.0 / 3 << 2796203.0 / 8388608.0;
        QTest::newRow("F clipped to -23 prunes") << -30.0 << RND << 1e6 << 0.0;  // 1e6/2^23 < 1/2
        // clang-format on
    }
    void quantize() {
        QFETCH(double, F);
        QFETCH(int, rounding);
        QFETCH(double, x);
        QFETCH(double, q);
        Quantizer qz =
            activation_q(1, 1, Granularity::PerElement, Rounding(rounding), false, {Scalar(F)});
        QVERIFY(std::fabs(double(qz.F[0])) <= 23);
        const Scalar xs = Scalar(x);
        Scalar out = -99, err = -99;
        qz.quantize(&xs, &out, &err, 1, true);
        QCOMPARE(double(out), double(Scalar(q)));
        QCOMPARE(double(err), double(xs - out));
    }
    void stochasticRounding() {
        Quantizer qz =
            activation_q(1, 1, Granularity::PerElement, Rounding::Stochastic, false, {2});
        std::vector<Scalar> x(20000, Scalar(0.3)), q(x.size()), e(x.size());  // 1.2 steps of 1/4
        qz.quantize(x.data(), q.data(), e.data(), int64_t(x.size()), false);
        QCOMPARE(double(q[0]), 0.25);  // inference: RND
        qz.quantize(x.data(), q.data(), e.data(), int64_t(x.size()), true, 12345);
        double mean = 0;
        for (Scalar v : q) {
            QVERIFY(v == Scalar(0.25) || v == Scalar(0.5));
            mean += v;
        }
        mean /= double(q.size());
        qInfo("stochastic mean %.5f for x = 0.3", mean);
        QVERIFY(std::fabs(mean - 0.3) < 0.005);  // 0.25 + 0.25·P(up = 0.2)
    }
    void exactSpanBits() {
        QCOMPARE(exact_span_bits(0.75f), 2);
        QCOMPARE(exact_span_bits(0.625f), 3);
        QCOMPARE(exact_span_bits(1.0f), 1);
        QCOMPARE(exact_span_bits(6.0f), 2);
        QCOMPARE(exact_span_bits(0.1015625f), 4);  // 0.0001101b
        QCOMPARE(exact_span_bits(0.0f), 0);
        QCOMPARE(exact_span_bits(-0.375f), 2);
        QCOMPARE(floor_log2(std::ldexp(1.0f, -13)), -13);
        QCOMPARE(floor_log2(std::ldexp(1.0f, 15)), 15);
        QCOMPARE(floor_log2(3.0f), 1);
        QCOMPARE(floor_log2(0.7f), -1);
        QCOMPARE(ceil_log2(std::ldexp(1.0f, 15)), 15);
        QCOMPARE(ceil_log2(3.0f), 2);
        QCOMPARE(ceil_log2(0.7f), 0);
    }
    void weightBits() {
        Quantizer k;  // per weight: relu(floor(log2|q|) + 1 + f), 0 for q = 0
        k.build(Quantizer::Role::Weight, 4, 2, Granularity::PerElement, Rounding::RND);
        k.F << 2, 2, 0, 3;
        const Scalar q[4] = {0.75f, 0, 2.0f, -0.125f};  // int bits 0, -inf, 2, -2
        Scalar bits[4];
        k.weight_bits(q, bits);
        QCOMPARE(std::vector<Scalar>(bits, bits + 4), (std::vector<Scalar>{2, 0, 2, 1}));
        Quantizer c;  // per channel (column of a 2×2 kernel): int bits are the column's max
        c.build(Quantizer::Role::Weight, 4, 2, Granularity::PerChannel, Rounding::RND);
        c.F << 1, 2;
        const Scalar q2[4] = {0.75f, 0.5f, 3.0f,
                              0};  // column 0: {0.75, 3} -> 2; column 1: {0.5, 0} -> 0
        c.weight_bits(q2, bits);
        QCOMPARE(std::vector<Scalar>(bits, bits + 4), (std::vector<Scalar>{3, 2, 3, 2}));
    }
    void activationBits() {
        // Registers: unit 0 in [-0.5, 1.5], unit 1 in [0.25, 0.5], unit 2 always 0.
        const Scalar batch[6] = {-0.5f, 0.25f, 0, 1.5f, 0.5f, 0};
        Quantizer s = activation_q(3, 3, Granularity::PerElement, Rounding::RND, false, {2, 2, 2});
        QCOMPARE(row(s.activation_bits()), (std::vector<Scalar>{0, 0, 0}));  // empty registers
        s.record(batch, 6);
        // signed: A = 1.5 -> i = 1, k = 1 -> 4; A = 0.5 -> i = 0, k = 0 -> 2; A = 0 -> pruned
        QCOMPARE(row(s.activation_bits()), (std::vector<Scalar>{4, 2, 0}));
        Quantizer r = activation_q(3, 3, Granularity::PerElement, Rounding::RND, true, {2, 2, 2});
        r.record(batch, 6);
        QCOMPARE(row(r.activation_bits()), (std::vector<Scalar>{3, 2, 0}));  // ReLU: k = 0
        Quantizer neg = activation_q(1, 1, Granularity::PerElement, Rounding::RND, true, {2});
        const Scalar negatives[2] = {-1, -2};
        neg.record(negatives, 2);
        QCOMPARE(double(neg.activation_bits()[0]),
                 0.0);  // an all-negative ReLU unit carries nothing
    }
    void exactTypes() {
        const Scalar batch[8] = {-0.5f, 0.25f, 0, -0.75f, 1.5f, 0.25f, 0, -0.25f};
        Quantizer s =
            activation_q(4, 4, Granularity::PerElement, Rounding::RND, false, {2, 2, 2, 2});
        s.record(batch, 8);
        const auto t = s.exact_types();
        // [-0.5, 1.5]: i = max(ceil(log2 .5), ceil(log2 1.75)) = 1, k = 1 -> <4, 2>
        QCOMPARE(t[0].k, 1);
        QCOMPARE(t[0].i, 1);
        QCOMPARE(t[0].bits(), 4);
        // [0.25, 0.25]: i = ceil(log2 0.5) = -1, k = 0 -> 1 bit
        QCOMPARE(t[1].i, -1);
        QCOMPARE(t[1].bits(), 1);
        // all zero: k + i + f clipped to 0 -> all zero
        QCOMPARE(t[2].bits(), 0);
        QCOMPARE(t[2].f, 0);
        // all negative [-0.75, -0.25]: i = ceil(log2 .75) = 0, k = 1 -> 3 bits
        QCOMPARE(t[3].k, 1);
        QCOMPARE(t[3].i, 0);
        QCOMPARE(t[3].bits(), 3);
        Quantizer r = activation_q(2, 2, Granularity::PerElement, Rounding::RND, true, {2, 2});
        const Scalar pos[2] = {0.25f, -1};
        r.record(pos, 2);
        const auto tr = r.exact_types();
        QCOMPARE(tr[0].i, -1);
        QCOMPARE(tr[0].bits(), 1);  // ReLU: floor(log2 .25) + 1
        QCOMPARE(tr[1].bits(), 0);
    }
    void groupsAndBias() {
        // 2 positions × 2 channels, per element: channel c owns groups c and c + 2.
        Quantizer q =
            activation_q(4, 2, Granularity::PerElement, Rounding::RND, false, {1, 5, 3, 2});
        QCOMPARE(q.bias_groups(), (std::vector<int>{2, 1}));
        Quantizer l = activation_q(4, 4, Granularity::PerLayer, Rounding::RND, false, {2});
        QCOMPARE(l.groups(), 1);
        QCOMPARE(l.degeneracy(), 4);
        l.dF.setZero();
        l.bits_grad(RowVec::Constant(1, 2.0f), RowVec::Constant(1, 3.0f));
        QCOMPARE(double(l.dF[0]), 1.0);  // 2 / sqrt(4)
        l.bits_grad(RowVec::Constant(1, 2.0f), RowVec::Constant(1, 0.0f));
        QCOMPARE(double(l.dF[0]), 1.0);  // no gradient through relu at 0 bits
        Quantizer pc = activation_q(4, 2, Granularity::PerChannel, Rounding::RND, false, {0, 3});
        const Scalar x[4] = {0.3f, 0.3f, 0.6f, 0.6f}, want[4] = {0, 0.25f, 1, 0.625f};
        Scalar out[4], err[4];
        pc.quantize(x, out, err, 4, false);  // element e uses F[e % 2]
        QCOMPARE(std::vector<Scalar>(out, out + 4), std::vector<Scalar>(want, want + 4));
    }
    void ebopsOfAHandModel();
};

// input(2) -> dense 2 (ReLU) -> dense 2, no batch-norm, parameters and data set by hand.
void QuantizerTest::ebopsOfAHandModel() {
    Model m = test::hand_model();
    const Mat x = test::hand_batch();
    m.forward(x, ForwardContext{true, true, 1, 0});
    const int32_t labels[2] = {0, 1};
    const LossTerms t = m.loss(labels, 0, 0, false, 1);
    // input bits: [0.25, 1] -> i 1, k 0, f 2 -> 3; [-0.5, 1.5] -> i 1, k 1, f 1 -> 3
    // dense1 weight bits [[2, 2], [0, 3]]: 3·(2+2) + 3·(0+3) = 21
    // z = [[0.75, -0.25], [0.1875 -> 0.25, 2.375 -> 2.5]]: ReLU bits [2, 4]
    // dense2 weight bits [[4, 2], [3, 0]]: 2·(4+2) + 4·(3+0) = 24
    QCOMPARE(t.ebops_per_layer, (std::vector<double>{0, 21, 24}));
    trace_minmax(m, x, 2, 1);
    const auto bits = exact_bits(m);
    // exact: input types 3 and 3 bits; dense1 spans [[2, 1], [0, 2]] -> 3·3 + 3·2 = 15;
    // dense1 out: max 0.75 -> 2 bits, max 2.5 -> 4 bits; dense2 spans [[1, 1], [1, 0]] -> 2·2 + 4·1
    QCOMPARE(bits[1].ebops, int64_t(15));
    QCOMPARE(bits[2].ebops, int64_t(8));
    QCOMPARE(exact_ebops(m), int64_t(23));
    QVERIFY(exact_ebops(m) < int64_t(t.ebops));  // trailing zeros are free in the exact count
}

QTEST_GUILESS_MAIN(QuantizerTest)
#include "test_quantizer.moc"
