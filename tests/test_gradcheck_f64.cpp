// SPDX-License-Identifier: GPL-3.0-or-later
// Gradient checks against central finite differences, in float64. The quantized loss is piecewise
// constant, so — as the golden README §6 explains — the straight-through model is what the
// gradients must match: with every F at the +23 clip the engine's quantization error is ~2^-24
// relative, and its gradients are compared with finite differences of the same network computed
// here without quantization (plain double, written out independently of the engine).
#include <QtTest>
#include <cmath>

#include "nn/dense.h"
#include "nn/kernels.h"
#include "nn/model.h"
#include "quant/quantizer.h"

using namespace hgq;

namespace {

struct RefLayer {
    Mat W;
    RowVec b, gamma;
    bool bn, relu;
};

// The HGQ v1 fused-BN dense forward (batch statistics, batch mean including b), unquantized.
double reference_loss(std::vector<RefLayer> L, const Mat& x0, const std::vector<int32_t>& y) {
    Mat x = x0;
    for (const RefLayer& l : L) {
        Mat z;
        if (l.bn) {
            const Mat z0 = x * l.W;
            const RowVec mean = z0.colwise().mean();
            const RowVec var = (z0.rowwise() - mean).array().square().colwise().mean();
            const RowVec s = l.gamma.array() / (var.array() + 1e-3).sqrt();
            z = x * (l.W * s.asDiagonal());
            z.rowwise() += (l.b.array() - (mean + l.b).array() * s.array()).matrix();
        } else {
            z = x * l.W;
            z.rowwise() += l.b;
        }
        x = l.relu ? Mat(z.cwiseMax(0.0)) : z;
    }
    return cross_entropy(x, y.data(), nullptr);
}

// Max relative difference |a − fd| / max(|a|, |fd|) over one tensor, where the floor is a
// millionth of the tensor's largest gradient: some gradients are exactly 0 in theory (a bias
// feeding straight into batch-norm) and are only noise in both.
double max_rel(const Mat& a, const Mat& fd) {
    const double floor = 1e-6 * std::max(fd.cwiseAbs().maxCoeff(), 1e-12);
    double worst = 0;
    for (Eigen::Index e = 0; e < a.size(); ++e) {
        const double d = std::fabs(a.data()[e] - fd.data()[e]);
        worst =
            std::max(worst, d / std::max({std::fabs(a.data()[e]), std::fabs(fd.data()[e]), floor}));
    }
    return worst;
}

void check_network(bool bn, bool relu) {
    ModelSpec spec;
    spec.layers = {{"input_quantizer"}, {"dense", 5, bn, relu}, {"dense", 3, bn, false}};
    Model m(spec, {4}, 3, 11);
    for (const Param& p : m.params())
        if (p.is_F) std::fill(p.value, p.value + p.size, Scalar(23));
    Mat x(16, 4);
    fill_uniform(x.data(), x.size(), 2.0, 5);
    std::vector<int32_t> y(16);
    for (int n = 0; n < 16; ++n) y[n] = n % 3;
    std::vector<RefLayer> ref;
    for (int l = 1; l <= 2; ++l) {
        auto& d = dynamic_cast<Dense&>(*m.layers()[l]);
        fill_uniform(d.gamma.data(), d.gamma.size(), 0.5, 20 + l);
        d.gamma.array() += 1.0;
        fill_uniform(d.b.data(), d.b.size(), 0.3, 30 + l);
        ref.push_back({d.W, d.b, d.gamma, bn, l == 1 && relu});
    }
    m.forward(x, ForwardContext{true, true, 1, 0});
    m.loss(y.data(), 0, 0, true, 1);
    const double h = 1e-6;
    for (int l = 1; l <= 2; ++l) {
        auto& d = dynamic_cast<Dense&>(*m.layers()[l]);
        Mat dW = d.dW, db = d.db, dg = d.dgamma;
        std::vector<std::tuple<const char*, Mat, Scalar*, Eigen::Index>> items = {
            {"W", dW, ref[l - 1].W.data(), ref[l - 1].W.size()},
            {"b", db, ref[l - 1].b.data(), ref[l - 1].b.size()}};
        if (bn) items.push_back({"bn_gamma", dg, ref[l - 1].gamma.data(), ref[l - 1].gamma.size()});
        for (auto& [name, grad, value, size] : items) {
            Mat fd(grad.rows(), grad.cols());
            for (Eigen::Index e = 0; e < size; ++e) {
                const Scalar keep = value[e];
                value[e] = keep + h;
                const double up = reference_loss(ref, x, y);
                value[e] = keep - h;
                const double down = reference_loss(ref, x, y);
                value[e] = keep;
                fd.data()[e] = (up - down) / (2 * h);
            }
            if (fd.cwiseAbs().maxCoeff() < 1e-7) {
                // A bias feeding straight into the next batch-norm: its gradient is 0 in theory.
                qInfo("bn=%d relu=%d dense%d.%-8s zero gradient, engine max |g| %.2e", bn, relu, l,
                      name, double(grad.cwiseAbs().maxCoeff()));
                QVERIFY2(grad.cwiseAbs().maxCoeff() < 1e-6, name);
                continue;
            }
            const double rel = max_rel(grad, fd);
            qInfo("bn=%d relu=%d dense%d.%-8s max rel diff %.2e", bn, relu, l, name, rel);
            QVERIFY2(rel < 2e-5, name);
        }
    }
}

}  // namespace

class GradCheck : public QObject {
    Q_OBJECT
  private slots:
    void denseLinear() { check_network(false, false); }
    void denseRelu() { check_network(false, true); }
    void fusedBatchNormRelu() { check_network(true, true); }
    void fusedBatchNormLinear() { check_network(true, false); }

    void crossEntropy() {
        Mat logits(6, 4);
        fill_uniform(logits.data(), logits.size(), 3.0, 9);
        const std::vector<int32_t> y = {0, 3, 1, 2, 2, 0};
        Mat d;
        cross_entropy(logits, y.data(), &d);
        Mat fd(6, 4);
        for (Eigen::Index e = 0; e < logits.size(); ++e) {
            Mat p = logits, q = logits;
            p.data()[e] += 1e-6;
            q.data()[e] -= 1e-6;
            fd.data()[e] =
                (cross_entropy(p, y.data(), nullptr) - cross_entropy(q, y.data(), nullptr)) / 2e-6;
        }
        qInfo("cross-entropy max rel diff %.2e", max_rel(d, fd));
        QVERIFY(max_rel(d, fd) < 1e-6);
    }

    // ∂q/∂F = ln2·(x − q): the rounding error shrinks by 2× per extra fractional bit (§2.2). The
    // smooth model q(F) = x + (q0 − x)·2^−(F − F0) defines the surrogate; its finite differences,
    // for a loss Σ c·q with one F shared by a group (per-layer), must match the engine's dF.
    void surrogateOfSharedF() {
        Quantizer q;
        q.build(Quantizer::Role::Activation, 5, 5, Granularity::PerLayer, Rounding::RND);
        q.F[0] = 2.3;
        q.prepare();
        Mat x(3, 5), c(3, 5), out(3, 5), err(3, 5);
        fill_uniform(x.data(), x.size(), 2.0, 1);
        fill_uniform(c.data(), c.size(), 1.0, 2);
        q.quantize(x.data(), out.data(), err.data(), x.size(), true);
        q.dF.setZero();
        q.surrogate_grad(c.data(), err.data(), c.size());
        auto smooth_loss = [&](double dF) {
            const Mat qF = (x.array() - err.array() * std::pow(2.0, -dF)).matrix();
            return (c.array() * qF.array()).sum();
        };
        const double fd = (smooth_loss(1e-6) - smooth_loss(-1e-6)) / 2e-6;
        qInfo("surrogate dF %.9f vs finite difference %.9f", double(q.dF[0]), fd);
        QVERIFY(std::fabs(q.dF[0] - fd) < 1e-7 * std::max(1.0, std::fabs(fd)));
        QVERIFY(std::fabs(fd) > 1e-3);  // a case with a real gradient
    }

    // Bit counts are linear in F with slope 1 where bits > 0 (STE through round), so EBOPs is
    // bilinear; its finite differences along every F must equal the engine's β-EBOPs gradient,
    // including the 1/√n scale of a per-layer activation F and a per-channel kernel F.
    void ebopsGradientOfGroupedF() {
        ModelSpec spec;
        spec.layers = {{"input_quantizer"}, {"dense", 3, false, true}, {"dense", 2, false, false}};
        spec.activations = {Granularity::PerLayer, 3, Rounding::Auto};
        spec.weights = {Granularity::PerChannel, 3, Rounding::RND};
        Model m(spec, {4}, 2, 3);
        Mat x(8, 4);
        fill_uniform(x.data(), x.size(), 2.0, 4);
        m.forward(x, ForwardContext{true, true, 1, 0});
        const std::vector<int32_t> y(8, 1);
        const double beta = 0.5;
        m.loss(y.data(), Scalar(beta), 0, true, 1);
        const Mat task_free = [&] {  // the β part alone: total minus task gradient
            std::vector<Scalar> all;
            for (const Param& p : m.params()) all.insert(all.end(), p.grad, p.grad + p.size);
            m.loss(y.data(), 0, 0, true, 1);
            int i = 0;
            for (const Param& p : m.params())
                for (int64_t e = 0; e < p.size; ++e) all[i++] -= p.grad[e];
            return Mat(Eigen::Map<Mat>(all.data(), 1, Eigen::Index(all.size())));
        }();
        // Expected: input F (shared by 4 features): β·Σ_i Σ_j kbits1[i][j] / √4 (all inputs > 0
        // bits); dense1 F_w column j: β·Σ_i bits_in[i] / √(in); dense1 F_a (per layer, 3 units):
        // β·Σ_i Σ_j kbits2[i][j] / √3.
        auto& d1 = dynamic_cast<Dense&>(*m.layers()[1]);
        auto& d2 = dynamic_cast<Dense&>(*m.layers()[2]);
        const RowVec in_bits = m.layers()[0]->output_quantizer()->activation_bits();
        const RowVec h_bits = m.layers()[1]->output_quantizer()->activation_bits();
        QVERIFY(in_bits[0] > 0 && h_bits[0] > 0);
        const double expect_input = beta * d1.kernel_bits.sum() / 2;
        const double expect_hidden = beta * d2.kernel_bits.sum() / std::sqrt(3.0);
        const double got_input = task_free(0, 0);
        // params order: input.F(1) dense1.W(12) b(3) F_w(3) F_a(1) ...
        const double got_hidden = task_free(0, 1 + 12 + 3 + 3);
        const double got_fw0 = task_free(0, 1 + 12 + 3);
        const double expect_fw0 = d1.kernel_bits(0, 0) > 0 ? beta * 4 * in_bits[0] / 2 : 0;
        qInfo("input F %.6f vs %.6f, hidden F %.6f vs %.6f, F_w[0] %.6f vs %.6f", got_input,
              expect_input, got_hidden, expect_hidden, got_fw0, expect_fw0);
        QVERIFY(std::fabs(got_input - expect_input) < 1e-9);
        QVERIFY(std::fabs(got_hidden - expect_hidden) < 1e-9);
        QVERIFY(std::fabs(got_fw0 - expect_fw0) < 1e-9);
        QVERIFY(expect_fw0 > 0);
    }
};

QTEST_GUILESS_MAIN(GradCheck)
#include "test_gradcheck_f64.moc"
