// SPDX-License-Identifier: GPL-3.0-or-later
// Batch-norm statistics from the input's Gram matrix, for layers with fewer inputs than outputs
// (the jet tagger's 16→64, a first 3×3 convolution's 9→16). z0 = x·W is then never formed:
//   mean0 = mean(x)·W,  var0_j = w_jᵀ Cov(x) w_j,  Σ_n dz∘z0 = colsum(W ∘ xᵀ·dz),
//   xᵀ·dz0 = (Cov(x)·W) ∘ 2·dvar0 + mean(x)ᵀ·dmean0,  dz0·Wᵀ = (x − mean(x))·W·diag(c)·Wᵀ +
//   shift·Wᵀ,
// with c and shift the scale and offset of dz0 (dense_backward.cpp). Per sample row that is
// 3·K·M + 2·K² multiply-adds of GEMM instead of 6·K·M, and no (N, out) z0 to write and read
// twice. The same quantities as the z0 path in exact arithmetic; in floats, Cov(x) is summed
// from inputs centred on the first sample's mean, in double, so a large input offset cannot
// cancel the variance away.
#include "core/parallel.h"
#include "core/phase_clock.h"
#include "nn/dense.h"
#include "nn/kernels.h"
#include "nn/narrow_gemm.h"
#include "nn/row_pattern.h"

namespace hgq {

void Dense::fuse_training_gram(const Mat& x, int threads) {
    const int64_t N = x.rows() * rows_per_sample_;  // GEMM rows
    const int n = threads_for(N / rows_per_sample_, threads);
    input_scratch_.parts.resize(n);
    centred_.parts.resize(n);
    column_scratch_.parts.resize(n);
    gram_chunk_.parts.resize(n);
    gram_partials_.reset(n, in_, in_);
    sum_partials_.reset(n, 1, in_);
    // (1, in) centre: the first sample's mean row, near the batch mean for any input offset.
    centre_x_ = chunk_rows(x, RowBlock{0, rows_per_sample_}, 0).colwise().mean();
    const RowVec& ref = centre_x_;
    parallel_samples(N, rows_per_sample_, threads, [&](RowBlock blk, int t) {
        PhaseScope phase(Phase::BatchNorm);
        for_chunks(blk, rows_per_sample_, kChunkRows, [&](RowBlock c) {
            phase.pause();
            const Eigen::Map<const Mat> xc = chunk_rows(x, c, t);
            phase.switch_to(Phase::BatchNorm);
            Mat& xr = centred_.parts[t];  // (c.size(), in)
            xr.resize(c.size(), in_);
            RowVec& sums = column_scratch_.parts[t];  // (in) column sums of the centred chunk
            sums.resize(in_);
            centre_rows(xc.data(), c.size(), int(in_), ref.data(), xr.data(), sums.data());
            sum_partials_.parts[t] += sums.cast<double>();
            phase.switch_to(Phase::ForwardGemm);
            Mat& g = gram_chunk_.parts[t];  // (in, in)
            if (narrow_gemm_applies(in_, in_)) {
                g.setZero(in_, in_);
                narrow_transposed_product(xr.data(), c.size(), in_, xr.data(), in_, g.data());
            } else {
                g.noalias() = xr.transpose() * xr;
            }
            gram_partials_.parts[t] += g.cast<double>();
        });
    });
    PhaseScope phase(Phase::BatchNorm);
    const Eigen::RowVectorXd m = sum_partials_.sum() / double(N);  // (1, in) mean of x − ref
    const Eigen::MatrixXd cov = gram_partials_.sum() / double(N) - m.transpose() * m;  // (in, in)
    const Eigen::MatrixXd w = W.cast<double>();                                        // (in, out)
    const Eigen::MatrixXd cov_w = cov * w;                                             // (in, out)
    const Eigen::RowVectorXd mean_x = ref.cast<double>() + m;
    mean_x_ = mean_x.cast<Scalar>();
    centred_mean_x_ = m.cast<Scalar>();
    cov_w_ = cov_w.cast<Scalar>();
    mean0 = (mean_x * w).cast<Scalar>();
    var0 = cov_w.cwiseProduct(w).colwise().sum().cwiseMax(0.0).cast<Scalar>();
    z0.resize(0, 0);
    fuse_batch_stats();
}

// Two passes: (1) dz = dy ∘ mask, its column sums and (x − centre)ᵀ·dz, which give ds and the
// kernel gradients; (2) dx = dz·Wqᵀ + (x − mean(x))·A + shift·Wᵀ, A = W·diag(c)·Wᵀ (in, in).
// Both products take centred inputs: Σ_n dz∘(z0 − mean0) = colsum(W ∘ (x − mean(x))ᵀ·dz) then
// has no large terms to cancel, whatever the input offset.
void Dense::backward_bn_gram(const Mat& x, const Mat& y, const Mat& dy, Mat* dx, int threads) {
    const int64_t N = x.rows() * rows_per_sample_;  // GEMM rows
    Mat g;                                          // (in, out) (x − centre)ᵀ·dz
    RowVec dbias_f;                                 // (out) Σ rows dz = d/d(bq) (straight-through)
    backward_dz(x, y, dy, threads, g, dbias_f, &centre_x_);
    PhaseScope phase(Phase::BatchNorm);
    bias_surrogate_grad(output_q, bias_groups_, dbias_f.data(), errb.data());
    // Σ_n dz∘(z0 − mean0), so ds = that − dbias_f∘b (the batch mean is mean0 + b).
    const RowVec dz_z0 = W.cwiseProduct(g - centred_mean_x_.transpose() * dbias_f).colwise().sum();
    const RowVec ds = dz_z0.array() - dbias_f.array() * b.array();
    Mat dWf = g + centre_x_.transpose() * dbias_f;  // (in, out) xᵀ·dz
    const RowVec inv_std = (var0.array() + kBnEpsilon).rsqrt();
    const RowVec dmean0 = -dbias_f.array() * bn_s.array();
    const RowVec dvar0 = Scalar(-0.5) * ds.array() * gamma.array() * inv_std.array().cube();
    db += (dbias_f.array() * (1 - bn_s.array())).matrix();
    dgamma += (ds.array() * inv_std.array()).matrix();
    kernel_q.surrogate_grad(dWf.data(), errW.data(), dWf.size());
    dW += dWf * bn_s.asDiagonal() + (cov_w_.array().rowwise() * (2 * dvar0).array()).matrix() +
          mean_x_.transpose() * dmean0;
    if (!dx) return;
    phase.pause();
    gram_input_gradient(x, 2 * dvar0 / Scalar(N), dmean0 / Scalar(N), *dx, threads);
}

void Dense::gram_input_gradient(const Mat& x, const RowVec& c, const RowVec& shift, Mat& dx,
                                int threads) {
    const int64_t N = x.rows() * rows_per_sample_;
    const Mat a = W * c.asDiagonal() * W.transpose();  // (in, in)
    const RowVec shift_in = shift * W.transpose();     // (1, in)
    wcat_ = Wq.transpose();                            // (out, in)
    dx.resize(x.rows(), x.cols());
    dx_scratch_.parts.resize(threads_for(x.rows(), threads));
    centred_.parts.resize(dx_scratch_.parts.size());
    parallel_samples(N, rows_per_sample_, threads, [&](RowBlock blk, int t) {
        PhaseScope phase(Phase::BatchNorm);
        for_chunks(blk, rows_per_sample_, kChunkRows, [&](RowBlock ch) {
            phase.pause();
            const Eigen::Map<const Mat> xc = chunk_rows(x, ch, t);
            phase.switch_to(Phase::BatchNorm);
            Mat& xr = centred_.parts[t];  // (ch.size(), in)
            xr.resize(ch.size(), in_);
            centre_rows(xc.data(), ch.size(), int(in_), mean_x_.data(), xr.data(), nullptr);
            phase.switch_to(Phase::BackwardGemm);
            Mat& scratch = dx_scratch_.parts[t];
            Eigen::Map<Mat> d(chunk_dx(dx, ch, scratch), ch.size(), in_);
            const Scalar* dz = dz_rows(ch, t);  // (ch.size(), out)
            if (narrow_gemm_applies(out_, in_) && narrow_gemm_applies(in_, in_)) {
                narrow_product(dz, ch.size(), out_, wcat_.data(), in_, nullptr, false, d.data());
                narrow_product(xr.data(), ch.size(), in_, a.data(), in_, nullptr, true, d.data());
            } else {
                d.noalias() = Eigen::Map<const Mat>(dz, ch.size(), out_) * wcat_;
                d.noalias() += xr * a;
            }
            add_to_rows(d.data(), ch.size(), int(in_), shift_in.data());
            phase.switch_to(Phase::Layout);
            chunk_dx_done(scratch, ch, dx);
        });
    });
}

}  // namespace hgq
