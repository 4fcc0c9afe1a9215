// SPDX-License-Identifier: GPL-3.0-or-later
// Golden HGQ dense case in float32 (the training build): floats to 1e-4 relative, quantized values
// exactly.
#include "golden_checks.h"

using namespace hgq;
using namespace hgq::test;

class GoldenF32 : public QObject {
    Q_OBJECT
    nlohmann::json g_ = load_json(HGQ_TEST_DATA "/hgq_dense_golden.json");
    Comparator c_{1e-4, 1e-6}, exact_{0, 0};

  private slots:
    void step1() { check_step1(c_, exact_, g_); }
    void kerasAdamTrajectory() { check_keras_trajectory(c_, exact_, g_); }
    void exactTrace() { check_trace(c_, exact_, g_); }
    void cleanup() {
        QCOMPARE(c_.failures, 0);
        QCOMPARE(exact_.failures, 0);
    }
};

QTEST_GUILESS_MAIN(GoldenF32)
#include "test_golden.moc"
