// SPDX-License-Identifier: GPL-3.0-or-later
// Backward pass and EBOPs of Dense. Straight-through for values (∂q/∂x = 1); the rounding errors
// feed the F surrogate ln2·(x − q); batch statistics are differentiated (spec §3.3 of the golden).
#include <cmath>

#include "core/parallel.h"
#include "nn/dense.h"
#include "nn/kernels.h"

namespace hgq {

void Dense::backward(const Mat& x, const Mat& y, const Mat& dy, Mat* dx, int threads) {
    Mat dz = relu_ ? Mat(dy.array() * (y.array() > 0).cast<Scalar>()) : dy;  // (N, out)
    oq_.surrogate_grad(dz.data(), errZ.data(), dz.size());
    if (bn_) {
        backward_bn(x, dz, dx, threads);
        return;
    }
    Mat dWq;
    matmul_tn(x, dz, dWq, threads);  // (in, out)
    const RowVec dbq = dz.colwise().sum();
    kq_.surrogate_grad(dWq.data(), errW.data(), dWq.size());
    bias_surrogate_grad(oq_, bias_groups_, dbq.data(), errb.data());
    dW += dWq;
    db += dbq;
    if (dx) matmul_rows(dz, Wq.transpose(), *dx, threads);
}

// Wf = W·s, bias_f = b − (mean0 + b)·s, s = γ/sqrt(var0 + ε), with mean0/var0 the batch
// statistics of z0 = x·W. The chain rule below follows those four definitions.
void Dense::backward_bn(const Mat& x, const Mat& dz, Mat* dx, int threads) {
    const Scalar N = Scalar(x.rows());
    Mat dWf;
    matmul_tn(x, dz, dWf, threads);  // (in, out) = d/dWq = d/dWf (straight-through)
    const RowVec dbias_f = dz.colwise().sum();
    kq_.surrogate_grad(dWf.data(), errW.data(), dWf.size());
    bias_surrogate_grad(oq_, bias_groups_, dbias_f.data(), errb.data());

    const RowVec batch_mean = mean0 + b;
    const RowVec ds = (dWf.array() * W.array()).colwise().sum() - dbias_f.array() * batch_mean.array();
    const RowVec inv_std = (var0.array() + kBnEpsilon).rsqrt();
    const RowVec dmean0 = -dbias_f.array() * bn_s.array();
    const RowVec dvar0 = Scalar(-0.5) * ds.array() * gamma.array() * inv_std.array().cube();
    dW += dWf * bn_s.asDiagonal();
    db += (dbias_f.array() * (1 - bn_s.array())).matrix();
    dgamma += (ds.array() * inv_std.array()).matrix();

    // d/dz0 of the column mean and variance: dmean0/N + (z0 − mean0)·2·dvar0/N.
    Mat dz0 = ((z0.rowwise() - mean0).array().rowwise() * (2 * dvar0.array() / N)).matrix();
    dz0.rowwise() += dmean0 / N;
    Mat dW_stats;
    matmul_tn(x, dz0, dW_stats, threads);
    dW += dW_stats;
    if (!dx) return;
    dx->resize(x.rows(), in_);
    parallel_rows(x.rows(), threads, [&](RowBlock blk, int) {
        auto d = dx->middleRows(blk.begin, blk.size());
        d.noalias() = dz.middleRows(blk.begin, blk.size()) * Wq.transpose();
        d.noalias() += dz0.middleRows(blk.begin, blk.size()) * W.transpose();
    });
}

// EBOPs = Σ_i Σ_j in_bits[i]·kernel_bits[i][j] (spec §3.2), accumulated in double: the sum is an
// integer that can pass float32's 2^24.
double Dense::ebops(const RowVec& in_bits) {
    kernel_bits.resize(in_, out_);
    kq_.weight_bits(Wq.data(), kernel_bits.data());
    return (in_bits.cast<double>() * kernel_bits.cast<double>()).sum();
}

void Dense::ebops_backward(Scalar beta, const RowVec& in_bits, RowVec& d_in) {
    const int G = kq_.groups();
    RowVec d_group = RowVec::Zero(G), group_bits = RowVec::Zero(G);
    for (int i = 0; i < in_; ++i)
        for (int j = 0; j < out_; ++j) {
            const int e = i * out_ + j;
            d_group[e % G] += beta * in_bits[i];
            group_bits[e % G] = kernel_bits(i, j);  // equal across a group
        }
    kq_.bits_grad(d_group, group_bits);
    d_in += beta * kernel_bits.rowwise().sum().transpose();
}

}  // namespace hgq
