// SPDX-License-Identifier: GPL-3.0-or-later
// Table-driven ap_fixed conversions (export spec §3): each rounding and overflow mode, ties,
// negative values, W = 1, I < 0, I > W. Every expected code is worked out by hand in the row.
#include <QtTest>

#include "deploy/fixed_point.h"

using namespace hgq;

Q_DECLARE_METATYPE(hgq::QMode)
Q_DECLARE_METATYPE(hgq::OMode)

class FixedPointTest : public QObject {
    Q_OBJECT
  private slots:
    void convert_data() {
        QTest::addColumn<double>("value");
        QTest::addColumn<int>("W");
        QTest::addColumn<int>("I");
        QTest::addColumn<bool>("is_signed");
        QTest::addColumn<QMode>("q");
        QTest::addColumn<OMode>("o");
        QTest::addColumn<qint64>("code");
        QTest::addColumn<bool>("overflow");
        // clang-format off: one table row per line
        using Q = QMode;
        using O = OMode;
        // rounding carries into overflow: 0.9 -> 3.6 LSB -> 4 -> wraps to 0 / saturates at 3
        QTest::newRow("ufixed<2,0> RND WRAP 0.9")
            << 0.9 << 2 << 0 << false << Q::RND << O::WRAP << qint64(0) << true;
        QTest::newRow("ufixed<2,0> RND SAT 0.9")
            << 0.9 << 2 << 0 << false << Q::RND << O::SAT << qint64(3) << true;
        // ties at -2.5 and 2.5 (ap_fixed<8,8>: integer grid)
        QTest::newRow("RND -2.5 up")
            << -2.5 << 8 << 8 << true << Q::RND << O::WRAP << qint64(-2) << false;
        QTest::newRow("RND_ZERO -2.5")
            << -2.5 << 8 << 8 << true << Q::RND_ZERO << O::WRAP << qint64(-2) << false;
        QTest::newRow("RND_ZERO 2.5")
            << 2.5 << 8 << 8 << true << Q::RND_ZERO << O::WRAP << qint64(2) << false;
        QTest::newRow("RND_MIN_INF -2.5")
            << -2.5 << 8 << 8 << true << Q::RND_MIN_INF << O::WRAP << qint64(-3) << false;
        QTest::newRow("RND_INF -2.5")
            << -2.5 << 8 << 8 << true << Q::RND_INF << O::WRAP << qint64(-3) << false;
        QTest::newRow("RND_INF 2.5")
            << 2.5 << 8 << 8 << true << Q::RND_INF << O::WRAP << qint64(3) << false;
        QTest::newRow("RND_CONV -2.5 even")
            << -2.5 << 8 << 8 << true << Q::RND_CONV << O::WRAP << qint64(-2) << false;
        QTest::newRow("RND_CONV -3.5 even")
            << -3.5 << 8 << 8 << true << Q::RND_CONV << O::WRAP << qint64(-4) << false;
        QTest::newRow("RND_CONV 2.75 nearest")
            << 2.75 << 8 << 8 << true << Q::RND_CONV << O::WRAP << qint64(3) << false;
        QTest::newRow("TRN -2.5 floors")
            << -2.5 << 8 << 8 << true << Q::TRN << O::WRAP << qint64(-3) << false;
        QTest::newRow("TRN_ZERO -2.5")
            << -2.5 << 8 << 8 << true << Q::TRN_ZERO << O::WRAP << qint64(-2) << false;
        QTest::newRow("TRN_ZERO -2 exact")
            << -2.0 << 8 << 8 << true << Q::TRN_ZERO << O::WRAP << qint64(-2) << false;
        QTest::newRow("RND -2.25 nearest")
            << -2.25 << 8 << 8 << true << Q::RND << O::WRAP << qint64(-2) << false;
        // I < 0: ap_fixed<4,-2> has step 2^-6, codes [-8, 7]
        QTest::newRow("fixed<4,-2> TRN 0.1")
            << 0.1 << 4 << -2 << true << Q::TRN << O::WRAP << qint64(6) << false;  // 6.4
        QTest::newRow("fixed<4,-2> TRN 0.2 wraps") << 0.2 << 4 << -2 << true << Q::TRN << O::WRAP
                                                   << qint64(-4) << true;  // 12.8 -> 12 -> -4
        QTest::newRow("fixed<4,-2> SAT 0.2")
            << 0.2 << 4 << -2 << true << Q::TRN << O::SAT << qint64(7) << true;
        // I > W: ap_fixed<3,5> has step 4, codes [-4, 3]
        QTest::newRow("fixed<3,5> RND 13")
            << 13.0 << 3 << 5 << true << Q::RND << O::WRAP << qint64(3) << false;  // 3.25
        QTest::newRow("fixed<3,5> RND 14 wraps")
            << 14.0 << 3 << 5 << true << Q::RND << O::WRAP << qint64(-4) << true;  // 3.5 -> 4
        QTest::newRow("fixed<3,5> RND 14 SAT")
            << 14.0 << 3 << 5 << true << Q::RND << O::SAT << qint64(3) << true;
        QTest::newRow("fixed<3,5> RND_CONV 10")
            << 10.0 << 3 << 5 << true << Q::RND_CONV << O::WRAP << qint64(2) << false;  // 2.5 -> 2
        // W = 1 signed: codes {-1, 0}; 1-bit SAT_SYM behaves as SAT
        QTest::newRow("fixed<1,1> RND 0.7 wraps")
            << 0.7 << 1 << 1 << true << Q::RND << O::WRAP << qint64(-1) << true;
        QTest::newRow("fixed<1,1> RND 0.7 SAT")
            << 0.7 << 1 << 1 << true << Q::RND << O::SAT << qint64(0) << true;
        QTest::newRow("fixed<1,1> SAT_SYM -3")
            << -3.0 << 1 << 1 << true << Q::TRN << O::SAT_SYM << qint64(-1) << true;
        QTest::newRow("ufixed<1,0> RND 0.3")
            << 0.3 << 1 << 0 << false << Q::RND << O::WRAP << qint64(1) << false;  // 0.6
        // saturation family and wrap of negatives into unsigned types
        QTest::newRow("fixed<4,4> SAT_SYM -8")
            << -8.0 << 4 << 4 << true << Q::TRN << O::SAT_SYM << qint64(-7) << true;
        QTest::newRow("fixed<4,4> SAT -8 fits")
            << -8.0 << 4 << 4 << true << Q::TRN << O::SAT << qint64(-8) << false;
        QTest::newRow("fixed<4,4> SAT_ZERO 9")
            << 9.0 << 4 << 4 << true << Q::TRN << O::SAT_ZERO << qint64(0) << true;
        QTest::newRow("fixed<4,4> WRAP 9")
            << 9.0 << 4 << 4 << true << Q::TRN << O::WRAP << qint64(-7) << true;
        QTest::newRow("ufixed<4,4> WRAP 17")
            << 17.0 << 4 << 4 << false << Q::TRN << O::WRAP << qint64(1) << true;
        QTest::newRow("ufixed<4,4> WRAP -1")
            << -1.0 << 4 << 4 << false << Q::TRN << O::WRAP << qint64(15) << true;
        QTest::newRow("ufixed<4,4> SAT -1")
            << -1.0 << 4 << 4 << false << Q::TRN << O::SAT << qint64(0) << true;
        QTest::newRow("W = 0 is constant zero")
            << 5.0 << 0 << 0 << false << Q::RND << O::WRAP << qint64(0) << false;
        QTest::newRow("more fractional bits: exact")
            << 1.5 << 12 << 4 << true << Q::TRN << O::WRAP << qint64(384) << false;
        QTest::newRow("tiny negative TRN")
            << -1e-30 << 8 << 4 << true << Q::TRN << O::WRAP << qint64(-1) << false;
        QTest::newRow("tiny negative RND")
            << -1e-30 << 8 << 4 << true << Q::RND << O::WRAP << qint64(0) << false;
        // clang-format on
    }
    void convert() {
        QFETCH(double, value);
        QFETCH(int, W);
        QFETCH(int, I);
        QFETCH(bool, is_signed);
        QFETCH(QMode, q);
        QFETCH(OMode, o);
        QFETCH(qint64, code);
        QFETCH(bool, overflow);
        Wide m;
        int f;
        exact_from_double(value, m, f);
        bool ov = false;
        QCOMPARE(qint64(quantize_code(m, f, FixedFormat{W, I, is_signed, q, o}, &ov)), code);
        QCOMPARE(ov, overflow);
    }
    void typeNames() {
        QCOMPARE(FixedFormat::from_kif(1, 2, 6, QMode::RND, OMode::SAT).ap_type(),
                 std::string("ap_fixed<9,3,AP_RND,AP_SAT>"));
        QCOMPARE(FixedFormat::from_kif(0, -1, 5, QMode::TRN, OMode::WRAP).ap_type(),
                 std::string("ap_ufixed<4,-1>"));
    }
};

QTEST_GUILESS_MAIN(FixedPointTest)
#include "test_fixed_point.moc"
