// SPDX-License-Identifier: GPL-3.0-or-later
// Backward pass and EBOPs of Dense. Straight-through for values (∂q/∂x = 1); the rounding errors
// feed the F surrogate ln2·(x − q); batch statistics are differentiated (spec §3.3 of the golden).
#include <cmath>

#include "core/parallel.h"
#include "nn/dense.h"
#include "nn/kernels.h"

namespace hgq {

// dz = dy ∘ ReLU mask for one block of whole samples, with the block's partial sums of the
// output F's surrogate (row_partials_) and of Σ rows dz, the bias gradient (row_partials2_).
void Dense::masked_dz_block(const Mat& y, const Mat& dy, RowBlock blk, int t) {
    auto d = dz_.middleRows(blk.begin, blk.size());
    const auto dyb = dy.middleRows(blk.begin, blk.size());
    if (relu_)
        d = (dyb.array() * (y.middleRows(blk.begin, blk.size()).array() > 0).cast<Scalar>())
                .matrix();
    else
        d = dyb;
    output_q.accumulate_surrogate(d.data(), errZ.data() + blk.begin * out_, d.size(),
                             row_partials_.parts[t]);
    add_rows(d, row_partials2_.parts[t]);
}

// First pass, per row block: dz = dy ∘ ReLU mask, partial sums of the output F's surrogate,
// of xᵀ·dz (the quantized kernel's gradient) and of Σ rows dz (the quantized bias's gradient).
void Dense::backward_dz(const Mat& x, const Mat& y, const Mat& dy, int threads, Mat& dWq,
                        RowVec& dbq) {
    const int64_t N = x.rows();
    const int n = threads_for(N / rows_per_sample_, threads);
    dz_.resize(N, out_);
    row_partials_.reset(n, 1, output_q.groups());
    row_partials2_.reset(n, 1, out_);
    mat_partials_.parts.resize(n);
    parallel_samples(N, rows_per_sample_, threads, [&](RowBlock blk, int t) {
        masked_dz_block(y, dy, blk, t);
        mat_partials_.parts[t].noalias() =
            x.middleRows(blk.begin, blk.size()).transpose() * dz_.middleRows(blk.begin, blk.size());
    });
    output_q.dF += kLn2 * row_partials_.sum();
    dWq = mat_partials_.sum();
    dbq = row_partials2_.sum();
}

void Dense::backward(const Mat& x, const Mat& y, const Mat& dy, Mat* dx, int threads) {
    if (bn_) {
        backward_bn(x, y, dy, dx, threads);
        return;
    }
    Mat dWq;     // (in, out)
    RowVec dbq;  // (out)
    backward_dz(x, y, dy, threads, dWq, dbq);
    kernel_q.surrogate_grad(dWq.data(), errW.data(), dWq.size());
    bias_surrogate_grad(output_q, bias_groups_, dbq.data(), errb.data());
    dW += dWq;
    db += dbq;
    if (!dx) return;
    dx->resize(x.rows(), in_);
    parallel_rows(x.rows(), threads, [&](RowBlock blk, int) {
        dx->middleRows(blk.begin, blk.size()).noalias() =
            dz_.middleRows(blk.begin, blk.size()) * Wq.transpose();
    });
}

// Wf = W·s, bias_f = b − (mean0 + b)·s, s = γ/sqrt(var0 + ε), with mean0/var0 the batch
// statistics of z0 = x·W; the chain rule below follows those four definitions. Two passes:
// (1) dz = dy ∘ mask and the column sums that give ds (Σ_i dWf∘W = Σ_n dz∘z0, no GEMM needed);
// (2) dz0, then ONE product xᵀ·[dz | dz0] for both kernel gradients and ONE product
// [dz | dz0]·[Wqᵀ; Wᵀ] for dx: two wide GEMMs run faster than four narrow ones.
void Dense::backward_bn(const Mat& x, const Mat& y, const Mat& dy, Mat* dx, int threads) {
    const int64_t N = x.rows();
    const int n = threads_for(N / rows_per_sample_, threads);
    dz_.resize(N, out_);
    dcat_.resize(N, 2 * out_);
    row_partials_.reset(n, 1, output_q.groups());
    row_partials2_.reset(n, 1, out_);
    row_partials3_.reset(n, 1, out_);
    parallel_samples(N, rows_per_sample_, threads, [&](RowBlock blk, int t) {
        masked_dz_block(y, dy, blk, t);
        for (int64_t r = blk.begin; r < blk.end; ++r)
            row_partials3_.parts[t].array() += dz_.row(r).array() * z0.row(r).array();
        dcat_.block(blk.begin, 0, blk.size(), out_) = dz_.middleRows(blk.begin, blk.size());
    });
    output_q.dF += kLn2 * row_partials_.sum();
    const RowVec dbias_f = row_partials2_.sum();  // = d/d(bq) (straight-through)
    bias_surrogate_grad(output_q, bias_groups_, dbias_f.data(), errb.data());
    const RowVec batch_mean = mean0 + b;
    const RowVec ds = row_partials3_.sum().array() - dbias_f.array() * batch_mean.array();
    const RowVec inv_std = (var0.array() + kBnEpsilon).rsqrt();
    const RowVec dmean0 = -dbias_f.array() * bn_s.array();
    const RowVec dvar0 = Scalar(-0.5) * ds.array() * gamma.array() * inv_std.array().cube();
    db += (dbias_f.array() * (1 - bn_s.array())).matrix();
    dgamma += (ds.array() * inv_std.array()).matrix();

    // dz0 = dmean0/N + (z0 − mean0)·2·dvar0/N: the column mean and variance, differentiated.
    const RowVec c = 2 * dvar0 / Scalar(N), shift = dmean0 / Scalar(N);
    wcat_.resize(2 * out_, in_);
    wcat_.topRows(out_) = Wq.transpose();
    wcat_.bottomRows(out_) = W.transpose();
    mat_partials_.parts.resize(n);
    if (dx) dx->resize(N, in_);
    parallel_samples(N, rows_per_sample_, threads, [&](RowBlock blk, int t) {
        auto d0 = dcat_.block(blk.begin, out_, blk.size(), out_);
        d0 =
            ((z0.middleRows(blk.begin, blk.size()).rowwise() - mean0).array().rowwise() * c.array())
                .matrix();
        d0.rowwise() += shift;
        const auto dc = dcat_.middleRows(blk.begin, blk.size());
        mat_partials_.parts[t].noalias() = x.middleRows(blk.begin, blk.size()).transpose() * dc;
        if (dx) dx->middleRows(blk.begin, blk.size()).noalias() = dc * wcat_;
    });
    const Mat g = mat_partials_.sum();  // (in, 2·out): [xᵀ·dz | xᵀ·dz0]
    const Mat dWf = g.leftCols(out_);
    kernel_q.surrogate_grad(dWf.data(), errW.data(), dWf.size());
    dW += dWf * bn_s.asDiagonal() + g.rightCols(out_);
}

// EBOPs = Σ_i Σ_j in_bits[i]·kernel_bits[i][j] (spec §3.2), accumulated in double: the sum is an
// integer that can pass float32's 2^24.
double Dense::ebops(const RowVec& in_bits) {
    kernel_bits.resize(in_, out_);
    kernel_q.weight_bits(Wq.data(), kernel_bits.data());
    return (in_bits.cast<double>() * kernel_bits.cast<double>()).sum();
}

void Dense::kernel_bits_backward(const Mat& dbits, Scalar extra) {
    const int G = kernel_q.groups();
    RowVec d_group = RowVec::Zero(G), group_bits = RowVec::Zero(G);
    for (int64_t e = 0; e < dbits.size(); ++e) {
        d_group[e % G] += dbits.data()[e];
        group_bits[e % G] = kernel_bits.data()[e];  // equal across a group
    }
    kernel_q.bits_grad(d_group, group_bits, extra);
}

void Dense::ebops_backward(Scalar beta, const RowVec& in_bits, RowVec& d_in) {
    const Mat dbits =
        (beta * in_bits.transpose()).replicate(1, out_);  // ∂/∂bits_w[i][j] = β·b_in[i]
    kernel_bits_backward(dbits, 1);
    d_in += beta * kernel_bits.rowwise().sum().transpose();
}

}  // namespace hgq
