// SPDX-License-Identifier: GPL-3.0-or-later
// Golden HGQ dense case in float64: floats to 1e-9 relative, quantized values exactly.
#include "golden_checks.h"

using namespace hgq;
using namespace hgq::test;

class GoldenF64 : public QObject {
    Q_OBJECT
    nlohmann::json g_ = load_json(HGQ_TEST_DATA "/hgq_dense_golden.json");
    Comparator c_{1e-9, 1e-12}, exact_{0, 0};

  private slots:
    void step1() { check_step1(c_, exact_, g_); }
    void kerasAdamTrajectory() { check_keras_trajectory(c_, exact_, g_); }
    // dense1 through the z0 path, the one layers with at least as many inputs as outputs take.
    void step1WithoutGram() { check_step1(c_, exact_, g_, false); }
    void kerasAdamTrajectoryWithoutGram() { check_keras_trajectory(c_, exact_, g_, false); }
    void exactTrace() { check_trace(c_, exact_, g_); }
    void cleanup() {
        QCOMPARE(c_.failures, 0);
        QCOMPARE(exact_.failures, 0);
    }
};

QTEST_GUILESS_MAIN(GoldenF64)
#include "test_golden_f64.moc"
