// SPDX-License-Identifier: GPL-3.0-or-later
// Convolutions and pooling in float64: gradient checks against finite differences of an
// independent loop-nest reference (straight-through model, every F at the +23 clip as in
// test_gradcheck_f64), and conv EBOPs against a hand count.
#include <QtTest>
#include <cmath>
#include <memory>

#include "nn/conv.h"
#include "nn/kernels.h"
#include "nn/model.h"
#include "nn/passive.h"

using namespace hgq;

namespace {

struct RefNet {
    int H = 6, W = 6, C = 2, F = 3, k = 3, s = 1;
    bool same = false, bn = false, relu = true, maxpool = true;
    int samples = 5, threads = 1;
    Mat Wc;         // (k·k·C, F) conv kernel, rows (ky, kx, c)
    RowVec bc, gc;  // (F) conv bias, bn gamma
    Mat Wd;         // (pooled features, 3)
    RowVec bd;      // (3)
};

// conv (+BN over N·positions), rows (n, oy, ox), written out directly.
Mat reference_conv(const RefNet& r, const Mat& x) {
    const int N = int(x.rows());
    const int Ho = r.same ? (r.H + r.s - 1) / r.s : (r.H - r.k) / r.s + 1;
    const int Wo = r.same ? (r.W + r.s - 1) / r.s : (r.W - r.k) / r.s + 1;
    const int pt = r.same ? std::max(0, (Ho - 1) * r.s + r.k - r.H) / 2 : 0;
    const int pl = r.same ? std::max(0, (Wo - 1) * r.s + r.k - r.W) / 2 : 0;
    Mat z = Mat::Zero(N * Ho * Wo, r.F);  // rows (n, oy, ox)
    for (int n = 0; n < N; ++n)
        for (int oy = 0; oy < Ho; ++oy)
            for (int ox = 0; ox < Wo; ++ox)
                for (int ky = 0; ky < r.k; ++ky)
                    for (int kx = 0; kx < r.k; ++kx) {
                        const int iy = oy * r.s + ky - pt, ix = ox * r.s + kx - pl;
                        if (iy < 0 || iy >= r.H || ix < 0 || ix >= r.W) continue;
                        for (int c = 0; c < r.C; ++c)
                            z.row((n * Ho + oy) * Wo + ox) += x(n, (iy * r.W + ix) * r.C + c) *
                                                              r.Wc.row((ky * r.k + kx) * r.C + c);
                    }
    if (r.bn) {
        const RowVec mean = z.colwise().mean();
        const RowVec var = (z.rowwise() - mean).array().square().colwise().mean();
        const RowVec sc = r.gc.array() / (var.array() + 1e-3).sqrt();
        z = ((z.rowwise() - mean).array().rowwise() * sc.array()).matrix();
        z.rowwise() += (r.bc.array() * (1 - sc.array())).matrix();  // b·(1 − s): HGQ v1 (§9.9)
    } else {
        z.rowwise() += r.bc;
    }
    return z;
}

// reference_conv (+ReLU) -> 2x2 pool -> flatten -> dense -> CE, written out directly.
double reference_loss(const RefNet& r, const Mat& x, const std::vector<int32_t>& y) {
    const int N = int(x.rows());
    const int Ho = r.same ? (r.H + r.s - 1) / r.s : (r.H - r.k) / r.s + 1;
    const int Wo = r.same ? (r.W + r.s - 1) / r.s : (r.W - r.k) / r.s + 1;
    Mat z = reference_conv(r, x);
    if (r.relu) z = z.cwiseMax(0.0);
    const int Hp = Ho / 2, Wp = Wo / 2;
    Mat pooled(N, Hp * Wp * r.F);
    for (int n = 0; n < N; ++n)
        for (int py = 0; py < Hp; ++py)
            for (int px = 0; px < Wp; ++px)
                for (int f = 0; f < r.F; ++f) {
                    double acc = r.maxpool ? -1e300 : 0;
                    for (int d = 0; d < 4; ++d) {
                        const double v = z((n * Ho + 2 * py + d / 2) * Wo + 2 * px + d % 2, f);
                        acc = r.maxpool ? std::max(acc, v) : acc + v / 4;
                    }
                    pooled(n, (py * Wp + px) * r.F + f) = acc;
                }
    Mat logits = pooled * r.Wd;
    logits.rowwise() += r.bd;
    return cross_entropy(logits, y.data(), nullptr);
}

// Relative difference with a floor of 1e-3 of the tensor's largest gradient: at F = 23 every
// value still carries up to 2^-23 of absolute rounding error (~1e-7 on these gradients), which
// shows on a tensor's smallest entries; a wrong gradient differs by O(1).
double max_rel(const Mat& a, const Mat& fd) {
    const double floor = 1e-3 * std::max(fd.cwiseAbs().maxCoeff(), 1e-12);
    double worst = 0;
    for (Eigen::Index e = 0; e < a.size(); ++e)
        worst =
            std::max(worst, std::fabs(a.data()[e] - fd.data()[e]) /
                                std::max({std::fabs(a.data()[e]), std::fabs(fd.data()[e]), floor}));
    return worst;
}

void check(RefNet r) {
    ModelSpec spec;
    LayerSpec conv{"conv2d", r.F, r.bn, r.relu};
    conv.kh = conv.kw = r.k;
    conv.sh = conv.sw = r.s;
    conv.same = r.same;
    LayerSpec pool{r.maxpool ? "maxpool2d" : "avgpool2d"};
    pool.kh = pool.kw = pool.sh = pool.sw = 2;
    spec.layers = {{"input_quantizer"}, conv, pool, {"flatten"}, {"dense", 3, false, false}};
    spec.activations.rounding = Rounding::RND;  // unbiased rounding: no systematic half-LSB shift
    Model m(spec, {r.H, r.W, r.C}, 3, 7);
    for (const Param& p : m.params())
        if (p.is_F) std::fill(p.value, p.value + p.size, Scalar(23));
    auto& c = dynamic_cast<Conv&>(*m.layers()[1]);
    auto& d = dynamic_cast<Dense&>(*m.layers()[4]);
    fill_uniform(c.b.data(), c.b.size(), 0.3, 2);
    fill_uniform(c.gamma.data(), c.gamma.size(), 0.4, 3);
    c.gamma.array() += 1.0;
    r.Wc = c.W, r.bc = c.b, r.gc = c.gamma, r.Wd = d.W, r.bd = d.b;
    Mat x(r.samples, r.H * r.W * r.C);
    fill_uniform(x.data(), x.size(), 2.0, 4);
    std::vector<int32_t> y(r.samples);
    for (int n = 0; n < r.samples; ++n) y[n] = (n * 7 + n / 3) % 3;
    m.forward(x, ForwardContext{true, true, r.threads, 0});
    m.loss(y.data(), 0, 0, true, r.threads);
    std::vector<std::tuple<const char*, Mat, Scalar*, Eigen::Index>> items = {
        {"conv.W", c.dW, r.Wc.data(), r.Wc.size()},
        {"conv.b", c.db, r.bc.data(), r.bc.size()},
        {"dense.W", d.dW, r.Wd.data(), r.Wd.size()},
        {"dense.b", d.db, r.bd.data(), r.bd.size()}};
    if (r.bn) items.push_back({"conv.gamma", c.dgamma, r.gc.data(), r.gc.size()});
    for (auto& [name, grad, value, size] : items) {
        Mat fd(grad.rows(), grad.cols());
        for (Eigen::Index e = 0; e < size; ++e) {
            const Scalar keep = value[e];
            value[e] = keep + 1e-6;
            const double up = reference_loss(r, x, y);
            value[e] = keep - 1e-6;
            const double down = reference_loss(r, x, y);
            value[e] = keep;
            fd.data()[e] = (up - down) / 2e-6;
        }
        if (fd.cwiseAbs().maxCoeff() < 1e-7) {  // a bias feeding batch-norm: 0 in theory
            QVERIFY2(grad.cwiseAbs().maxCoeff() < 1e-6, name);
            continue;
        }
        const double rel = max_rel(grad, fd);
        if (rel > 1e-3) {
            Eigen::Index worst = 0;
            Eigen::Index wr, wc;
            ((grad - fd).cwiseAbs()).maxCoeff(&wr, &wc);
            worst = wr * grad.cols() + wc;
            qInfo("   worst: engine %.10g fd %.10g (tensor max %.3g)", grad.data()[worst],
                  fd.data()[worst], fd.cwiseAbs().maxCoeff());
        }
        qInfo("same=%d stride=%d bn=%d maxpool=%d %-10s max rel diff %.2e", r.same, r.s, r.bn,
              r.maxpool, name, rel);
        QVERIFY2(rel < 1e-3, name);
    }
}

}  // namespace

class ConvTest : public QObject {
    Q_OBJECT
    static void input_gradient(int channels, int filters, bool gram) {
        DenseOptions d{filters, true, false};
        d.weight_init_bits = d.act_init_bits = 23;  // straight-through: no rounding in the way
        Conv c("conv", {6, 6, channels}, ConvOptions{filters}, d, 5);
        QCOMPARE(c.gram_statistics(), gram);
        c.kernel_q.F.setConstant(23);
        c.output_q.F.setConstant(23);
        fill_uniform(c.b.data(), c.b.size(), 0.3, 2);
        RefNet r;
        r.bn = true;
        r.C = channels;
        r.F = filters;
        r.Wc = c.W, r.bc = c.b, r.gc = c.gamma;
        Mat x(80, 36 * channels), y, g(80, 4 * 4 * filters),
            dx;  // 80 samples: 2 threads × chunks of 16, 16, 8
        fill_uniform(x.data(), x.size(), 2.0, 4);
        fill_uniform(g.data(), g.size(), 1.0, 6);
        c.forward(x, y, ForwardContext{true, false, 2, 0});
        c.backward(x, y, g, &dx, 2);
        QCOMPARE(dx.rows(), x.rows());
        const Eigen::Map<const Mat> g_rows(g.data(), 80 * 16, filters);  // rows (n, oy, ox) as z
        double worst = 0;
        for (Eigen::Index e = 0; e < x.size(); e += 7) {
            const Scalar keep = x.data()[e];
            x.data()[e] = keep + 1e-6;
            const double up = (reference_conv(r, x).array() * g_rows.array()).sum();
            x.data()[e] = keep - 1e-6;
            const double down = (reference_conv(r, x).array() * g_rows.array()).sum();
            x.data()[e] = keep;
            const double fd = (up - down) / 2e-6;
            worst = std::max(worst, std::fabs(dx.data()[e] - fd) / std::max(1e-3, std::fabs(fd)));
        }
        qInfo("chunked conv dx (%s): max rel diff %.2e over %lld inputs", gram ? "Gram" : "z0",
              worst, (long long)(x.size() / 7));
        QVERIFY(worst < 5e-4);  // a misplaced patch gradient is off by O(1)
    }
  private slots:
    void validStride1MaxPool() { check(RefNet{}); }
    void sameStride2() {
        RefNet r;
        r.same = true;
        r.s = 2;
        r.H = r.W = 8;  // 4x4 outputs, pooled to 2x2
        check(r);
    }
    // 5x5 conv outputs pooled to 2x2: the last row and column sit under no window.
    void maxPoolRaggedEdge() {
        RefNet r;
        r.H = r.W = 7;
        check(r);
    }
    // Max-pool input gradients against a loop nest, into a dx buffer holding NaN from "an earlier
    // step": tiled windows, a ragged edge no window covers (its gradient must be 0, not stale),
    // and overlapping windows whose gradients add.
    void maxPoolBackwardOverwritesStaleGradient() {
        struct Case {
            int h, w, c, k, s;
        };
        for (const Case& g : {Case{4, 4, 3, 2, 2}, Case{5, 7, 3, 2, 2}, Case{5, 5, 2, 2, 1}}) {
            Pool pool("pool", {g.h, g.w, g.c}, true, g.k, g.k, g.s, g.s, false);
            const int oh = (g.h - g.k) / g.s + 1, ow = (g.w - g.k) / g.s + 1, N = 3;
            Mat x(N, g.h * g.w * g.c), y, dy(N, oh * ow * g.c);  // (N, input), (N, output)
            fill_uniform(x.data(), x.size(), 1.0f, 11);
            fill_uniform(dy.data(), dy.size(), 1.0f, 12);
            pool.forward(x, y, ForwardContext{});
            Mat dx = Mat::Constant(N, x.cols(), std::nan(""));
            pool.backward(x, y, dy, &dx, 1);
            Mat ref = Mat::Zero(N, x.cols());
            auto at = [&](int iy, int ix, int c) { return (iy * g.w + ix) * g.c + c; };
            for (int n = 0; n < N; ++n)
                for (int p = 0; p < oh * ow; ++p)
                    for (int c = 0; c < g.c; ++c) {
                        const int y0 = p / ow * g.s, x0 = p % ow * g.s;
                        int best = at(y0, x0, c);
                        for (int d = 1; d < g.k * g.k; ++d) {
                            const int i = at(y0 + d / g.k, x0 + d % g.k, c);
                            if (x(n, i) > x(n, best)) best = i;
                        }
                        ref(n, best) += dy(n, p * g.c + c);
                    }
            const double diff = (dx - ref).cwiseAbs().maxCoeff();
            qInfo("maxpool %dx%dx%d k%d s%d: max |dx - ref| %.1e", g.h, g.w, g.c, g.k, g.s, diff);
            QVERIFY(dx.allFinite());  // no stale NaN left under a ragged edge
            QVERIFY(diff == 0);
        }
    }
    void fusedBatchNormAvgPool() {
        RefNet r;
        r.bn = true;
        r.maxpool = false;
        check(r);
    }
    // 80 samples of 16 positions on 2 threads: each thread's 40 samples run as chunks of 16, 16
    // and 8 (Dense::kChunkRows), with patches built per chunk, batch statistics merged across
    // chunks and threads, and patch gradients summed back per chunk.
    void chunkedTwoThreadsFusedBatchNorm() {
        RefNet r;
        r.bn = true;
        r.samples = 80;
        r.threads = 2;
        QVERIFY(r.samples / r.threads > Dense::kChunkRows / 16);
        check(r);
    }
    // The input gradient of a fused-BN convolution, summed back from per-chunk patch gradients on
    // 2 threads, against central differences of the loop-nest reference's Σ z∘g over (a sample
    // of) every input value. (Differencing the layer itself would difference its 2^-23 kernel
    // rounding, which moves with the batch statistics.)
    void chunkedInputGradient() { input_gradient(2, 3, false); }
    // 1 channel, 12 filters: K = 9 < 12, so the batch statistics come from xᵀx (dense_gram.cpp)
    // and the input gradient from x·W·diag(c)·Wᵀ instead of dz0·Wᵀ.
    void chunkedInputGradientGram() { input_gradient(1, 12, true); }
    void chunkedTwoThreadsGram() {
        RefNet r;
        r.bn = true;
        r.C = 1;
        r.F = 12;
        r.samples = 80;
        r.threads = 2;
        check(r);
    }
    void sameFusedBatchNormLinear() {
        RefNet r;
        r.same = true;
        r.bn = true;
        r.relu = false;
        check(r);
    }

    // The output quantizer's F gradient after one backward pass, against its definition in
    // double: ln2·Σ dz∘(z − Q(z)) over each group (dz = dy, masked by ReLU), plus the bias's
    // ln2·Σ_rows dz·(b − Q(b)) into the bias's group. Per-element and per-layer activations
    // (one-pass paths), with and without batch-norm and ReLU, 1 and 2 threads, a convolution.
    void outputSurrogateGradientMatchesDefinition() {
        struct Case {
            bool conv, bn, relu;
            Granularity g;
            int threads;
        };
        const Case cases[] = {{false, true, true, Granularity::PerElement, 2},
                              {false, true, true, Granularity::PerLayer, 2},
                              {false, false, false, Granularity::PerLayer, 1},
                              {false, false, true, Granularity::PerElement, 1},
                              {true, true, true, Granularity::PerLayer, 2},
                              {true, false, true, Granularity::PerElement, 2}};
        for (const Case& cs : cases) {
            DenseOptions d{cs.conv ? 6 : 12, cs.bn, cs.relu};
            d.act_granularity = cs.g;
            d.act_init_bits = 3;
            std::unique_ptr<Dense> layer;
            if (cs.conv)
                layer = std::make_unique<Conv>("c", Shape{6, 6, 2}, ConvOptions{6}, d, 5);
            else
                layer = std::make_unique<Dense>("d", 20, d, 5);  // 20 → 12: the z0 path
            const int64_t N = 600;  // 2 threads × several chunks of 256 rows
            Mat x(N, cs.conv ? 72 : 20), y, dx;
            fill_uniform(x.data(), x.size(), 2.0, 4);
            layer->forward(x, y, ForwardContext{true, false, cs.threads, 0});
            Mat g(y.rows(), y.cols());
            fill_uniform(g.data(), g.size(), 1.0, 6);
            layer->output_q.dF.setZero();
            layer->backward(x, y, g, &dx, cs.threads);
            const Quantizer& q = layer->output_q;
            const int64_t cols = layer->errZ.cols(), rows = layer->errZ.rows(), G = q.groups();
            std::vector<double> want(G, 0.0), dbias(cols, 0.0);
            for (int64_t r = 0; r < rows; ++r)
                for (int64_t j = 0; j < cols; ++j) {
                    const int64_t e = r * cols + j;  // y, g and errZ share the (rows, cols) layout
                    const double dz = cs.relu && !(y.data()[e] > 0) ? 0.0 : double(g.data()[e]);
                    want[e % G] += dz * double(layer->errZ.data()[e]);
                    dbias[j] += dz;
                }
            for (double& w : want) w *= std::log(2.0);
            const std::vector<int> bias_groups = q.bias_groups();
            for (int64_t j = 0; j < cols; ++j)
                want[bias_groups[j]] += std::log(2.0) * dbias[j] * double(layer->errb[j]);
            double worst = 0, scale = 0;
            for (int64_t k = 0; k < G; ++k) scale = std::max(scale, std::fabs(want[k]));
            for (int64_t k = 0; k < G; ++k)
                worst = std::max(worst, std::fabs(double(q.dF[k]) - want[k]) / scale);
            qInfo("%s bn=%d relu=%d groups=%lld threads=%d: output dF max diff %.1e (of %.2e)",
                  cs.conv ? "conv " : "dense", cs.bn, cs.relu, (long long)G, cs.threads, worst,
                  scale);
            QVERIFY(scale > 0);
            QVERIFY(worst < 1e-5);
        }
    }

    // im2col_row and col2im_row against the definition, on the geometries that take their
    // unrolled no-bounds-check paths (valid, kernel rows of 3 and 48 values) and on the general
    // one (padding, stride 2, other runs). Exact: both visit positions in the same order.
    void patchesMatchDefinition() {
        struct Case {
            int h, w, c, k, s;
            bool same;
        };
        const Case cases[] = {{6, 6, 16, 3, 2, false}, {7, 5, 1, 3, 1, false},
                              {6, 6, 16, 3, 1, true},  {7, 7, 1, 3, 2, true},
                              {5, 6, 2, 3, 1, false},  {8, 8, 16, 3, 1, false}};
        for (const Case& cs : cases) {
            const WindowGeometry g =
                WindowGeometry::make(cs.h, cs.w, cs.c, cs.k, cs.k, cs.s, cs.s, cs.same);
            const int64_t P = g.positions(), K = g.patch();
            RowVec x(int64_t(cs.h) * cs.w * cs.c), dcols(P * K);
            fill_uniform(x.data(), x.size(), 1.0, 3);
            fill_uniform(dcols.data(), dcols.size(), 1.0, 4);
            RowVec cols(P * K), want_cols = RowVec::Zero(P * K);
            RowVec dx = RowVec::Zero(x.size()), want_dx = RowVec::Zero(x.size());
            for (int64_t p = 0; p < P; ++p)
                for (int ky = 0; ky < g.kh; ++ky)
                    for (int kx = 0; kx < g.kw; ++kx) {
                        const int iy = int(p / g.out_w) * g.sh + ky - g.pad_top;
                        const int ix = int(p % g.out_w) * g.sw + kx - g.pad_left;
                        if (iy < 0 || iy >= g.in_h || ix < 0 || ix >= g.in_w) continue;
                        for (int c = 0; c < g.in_c; ++c) {
                            const int64_t in = (int64_t(iy) * g.in_w + ix) * g.in_c + c;
                            const int64_t k = p * K + (ky * g.kw + kx) * g.in_c + c;
                            want_cols[k] = x[in];
                            want_dx[in] += dcols[k];
                        }
                    }
            im2col_row(g, x.data(), cols.data());
            col2im_row(g, dcols.data(), dx.data());
            qInfo("%dx%dx%d k%d s%d %s: max |im2col diff| %.1e, max |col2im diff| %.1e", cs.h, cs.w,
                  cs.c, cs.k, cs.s, cs.same ? "same" : "valid",
                  double((cols - want_cols).cwiseAbs().maxCoeff()),
                  double((dx - want_dx).cwiseAbs().maxCoeff()));
            QVERIFY(cols == want_cols);
            QVERIFY(dx == want_dx);
        }
    }

    // Conv1D over a length-3 signal with a 2-tap kernel (P = 2 positions): hand-counted EBOPs.
    void ebopsHandCount() {
        ModelSpec spec;
        Conv c("conv", {3, 1}, ConvOptions{1, 1, 2, 1, 1, false, 0, true}, DenseOptions{1}, 1);
        c.W << 0.5, 0.75;  // kernel (2 taps, 1 filter); F = 2 -> bits 0.5: 0+2, 0.75: 0+2
        c.kernel_q.F << 2, 2;
        Mat x = Mat::Zero(1, 3), y;
        c.forward(x, y, ForwardContext{false, false, 1, 0});
        RowVec in_bits(3);
        in_bits << 2, 3, 4;
        // fully parallel (pf = P = 2): p0: 2·2 + 3·2 = 10, p1: 3·2 + 4·2 = 14 -> 24
        QCOMPARE(c.ebops(in_bits), 24.0);
        RowVec d_in = RowVec::Zero(3);
        c.ebops_backward(1, in_bits, d_in);
        // ∂/∂b_in: tap sums over the positions that read each input: [2, 2 + 2, 2]
        QCOMPARE(std::vector<double>(d_in.data(), d_in.data() + 3), (std::vector<double>{2, 4, 2}));
        Conv one("conv", {3, 1}, ConvOptions{1, 1, 2, 1, 1, false, 1, true}, DenseOptions{1}, 1);
        one.W = c.W;
        one.kernel_q.F = c.kernel_q.F;
        one.forward(x, y, ForwardContext{false, false, 1, 0});
        QCOMPARE(one.ebops(in_bits), 12.0);  // one reused instance: pf / P = 1/2
    }
};

QTEST_GUILESS_MAIN(ConvTest)
#include "test_conv_f64.moc"
