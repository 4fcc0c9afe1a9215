// SPDX-License-Identifier: GPL-3.0-or-later
// Backward pass and EBOPs of Dense. Straight-through for values (∂q/∂x = 1); the rounding errors
// feed the F surrogate ln2·(x − q); batch statistics are differentiated (spec §3.3 of the golden).
#include <cmath>

#include "core/error.h"
#include "core/parallel.h"
#include "core/phase_clock.h"
#include "nn/dense.h"
#include "nn/kernels.h"
#include "nn/narrow_gemm.h"
#include "nn/row_pattern.h"

namespace hgq {

namespace {
// d = dy ∘ (y > 0) (or dy), surrogate[j] += Σ_r d∘err, bias[j] += Σ_r d over `rows` rows of
// `cols` (d's rows `d_stride` apart); with z0, also dz_z0[j] += Σ_r d∘z0 (batch-norm's ds). A free
// function: GCC honours __restrict on parameters, not on local pointers, and without it the
// column sums are reloaded after every store (3× slower than three passes).
void masked_dz_columns(const Scalar* __restrict dy, const Scalar* __restrict y,
                       const Scalar* __restrict err, int64_t rows, int64_t cols, bool relu,
                       Scalar* __restrict d, int64_t d_stride, Scalar* __restrict surrogate,
                       Scalar* __restrict bias, const Scalar* __restrict z0,
                       Scalar* __restrict dz_z0) {
    for (int64_t r = 0; r < rows; ++r) {
        const int64_t e = r * cols;
        Scalar* __restrict dr = d + r * d_stride;
        for (int64_t j = 0; j < cols; ++j) {
            const Scalar v = relu ? dy[e + j] * Scalar(y[e + j] > 0) : dy[e + j];  // as Eigen's
            dr[j] = v;
            surrogate[j] += v * err[e + j];
            bias[j] += v;
        }
        if (z0)
            for (int64_t j = 0; j < cols; ++j) dz_z0[j] += dr[j] * z0[e + j];
    }
}

// dz0 = (z0 − mean0)·c + shift, row by row into rows `d_stride` apart (dcat_'s right half).
void dz0_rows(const Scalar* __restrict z0, int64_t rows, int64_t cols,
              const Scalar* __restrict mean0, const Scalar* __restrict c,
              const Scalar* __restrict shift, Scalar* __restrict d0, int64_t d_stride) {
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t j = 0; j < cols; ++j)
            d0[r * d_stride + j] = (z0[r * cols + j] - mean0[j]) * c[j] + shift[j];
}
}  // namespace

// dz = dy ∘ ReLU mask for one block of whole samples into `out` (blk.size(), out) contiguous,
// with the block's partial sums of the output F's surrogate (row_partials_) and of Σ rows dz, the
// bias gradient (row_partials2_).
Dense::ChunkTensors Dense::chunk_tensors(const Mat& y, const Mat& dy, RowBlock c, int t) const {
    if (chunk_source_) return chunk_source_(c, t, true);
    const int64_t at = c.begin * out_;
    return {dy.data() + at, y.data() + at, errZ.data() + at};
}

void Dense::masked_dz_block(const ChunkTensors& in, RowBlock blk, int t, Scalar* out,
                            int64_t out_stride, RowVec* dz_z0) {
    const bool relu = relu_ && !in.masked;
    if (one_pass_dz()) {
        // One quantizer group per output column (per-element activations of a dense layer), or
        // one for the whole layer: the mask, the column sums and the store in one pass over the
        // chunk, while it is in L1. Per column, the same products and sums in the same order as
        // the passes below; a per-layer group sums its column sums at the end of the chunk.
        const int G = output_q.groups();
        const int64_t at = blk.begin * out_;
        RowVec& per_column = G == 1 ? column_scratch_.parts[t] : row_partials_.parts[t];
        if (G == 1) per_column.setZero(out_);
        masked_dz_columns(in.dy, in.y, in.err, blk.size(), out_, relu, out, out_stride,
                          per_column.data(), row_partials2_.parts[t].data(),
                          dz_z0 ? z0.data() + at : nullptr, dz_z0 ? dz_z0->data() : nullptr);
        if (G == 1) row_partials_.parts[t][0] += per_column.sum();
        return;
    }
    (void)out_stride;  // the general path writes a contiguous block (and backward_bn copies it)
    Eigen::Map<Mat> d(out, blk.size(), out_);
    const Eigen::Map<const Mat> dyb(in.dy, blk.size(), out_), yb(in.y, blk.size(), out_);
    if (relu)
        d = (dyb.array() * (yb.array() > 0).cast<Scalar>()).matrix();
    else
        d = dyb;
    output_q.accumulate_surrogate(d.data(), in.err, d.size(), row_partials_.parts[t]);
    add_rows(d, row_partials2_.parts[t]);
}

// First pass, per row block: dz = dy ∘ ReLU mask, partial sums of the output F's surrogate,
// of xᵀ·dz (the quantized kernel's gradient) and of Σ rows dz (the quantized bias's gradient).
// With `centre`, the product is (x − centre)ᵀ·dz (the Gram path, dense_gram.cpp).
void Dense::backward_dz(const Mat& x, const Mat& y, const Mat& dy, int threads, Mat& dWq,
                        RowVec& dbq, const RowVec* centre) {
    const int64_t N = x.rows() * rows_per_sample_;  // GEMM rows
    const int n = threads_for(N / rows_per_sample_, threads);
    // With a chunk source, dz of a chunk is its source's masked dy again when dx needs it
    // (dz_rows): it lives only in cache.
    dz_.resize(chunk_source_ ? 0 : N, out_);
    dx_scratch_.parts.resize(n);
    row_partials_.reset(n, 1, output_q.groups());
    column_scratch_.parts.resize(n);
    row_partials2_.reset(n, 1, out_);
    mat_partials_.reset(n, in_, out_);
    input_scratch_.parts.resize(n);
    centred_.parts.resize(n);
    parallel_samples(N, rows_per_sample_, threads, [&](RowBlock blk, int t) {
        PhaseScope phase(Phase::Quantize);
        for_chunks(blk, rows_per_sample_, kChunkRows, [&](RowBlock c) {
            phase.switch_to(Phase::Quantize);
            Mat& scratch = dx_scratch_.parts[t];
            if (chunk_source_) scratch.resize(c.size(), out_);
            Scalar* dzp = chunk_source_ ? scratch.data() : dz_.data() + c.begin * out_;
            masked_dz_block(chunk_tensors(y, dy, c, t), c, t, dzp, out_, nullptr);
            phase.pause();
            const Eigen::Map<const Mat> xc = chunk_rows(x, c, t);
            const Eigen::Map<const Mat> dzc(dzp, c.size(), out_);
            if (centre) {
                phase.switch_to(Phase::BatchNorm);
                Mat& xr = centred_.parts[t];  // (c.size(), in)
                xr.resize(c.size(), in_);
                centre_rows(xc.data(), c.size(), int(in_), centre->data(), xr.data(), nullptr);
                phase.switch_to(Phase::BackwardGemm);
                input_transposed_product(xr.data(), dzc, t);
            } else {
                phase.switch_to(Phase::BackwardGemm);
                input_transposed_product(xc.data(), dzc, t);
            }
        });
    });
    PhaseScope phase(Phase::Quantize);
    output_q.dF += kLn2 * row_partials_.sum();
    dWq = mat_partials_.sum();
    dbq = row_partials2_.sum();
}

// mat_partials_[t] (in, out) += inputᵀ·dzc for a chunk's (rows, in) input rows.
void Dense::input_transposed_product(const Scalar* input, const Eigen::Map<const Mat>& dzc, int t) {
    Mat& g = mat_partials_.parts[t];
    if (narrow_gemm_applies(in_, out_))
        narrow_transposed_product(input, dzc.rows(), in_, dzc.data(), out_, g.data());
    else
        g.noalias() += Eigen::Map<const Mat>(input, dzc.rows(), in_).transpose() * dzc;
}

void Dense::backward(const Mat& x, const Mat& y, const Mat& dy, Mat* dx, int threads) {
    if (bn_ && gram_) {
        backward_bn_gram(x, y, dy, dx, threads);
        return;
    }
    if (bn_) {
        backward_bn(x, y, dy, dx, threads);
        return;
    }
    Mat dWq;     // (in, out)
    RowVec dbq;  // (out)
    backward_dz(x, y, dy, threads, dWq, dbq);
    PhaseScope phase(Phase::Quantize);
    kernel_q.surrogate_grad(dWq.data(), errW.data(), dWq.size());
    bias_surrogate_grad(output_q, bias_groups_, dbq.data(), errb.data());
    dW += dWq;
    db += dbq;
    if (!dx) return;
    wcat_ = Wq.transpose();
    phase.pause();
    backward_dx(x, wcat_, *dx, threads);
}

const Scalar* Dense::dz_rows(RowBlock c, int t) const {
    if (!chunk_source_) return dz_.data() + c.begin * out_;
    const ChunkTensors in = chunk_source_(c, t, false);
    if (!in.masked) throw Error::runtime("dz_rows", "a chunk source without the ReLU mask applied");
    return in.dy;  // masked_dz_block's dz of a masked source is its dy, value for value
}

void Dense::chunk_backward_dx(const Eigen::Ref<const Mat>& dzc, const Mat& w, RowBlock c, int t,
                              Mat& dx) {
    PhaseScope phase(Phase::BackwardGemm);
    Mat& scratch = dx_scratch_.parts[t];
    Eigen::Map<Mat>(chunk_dx(dx, c, scratch), c.size(), in_).noalias() = dzc * w;
    phase.switch_to(Phase::Layout);
    chunk_dx_done(scratch, c, dx);
}

// dx = dz·w, chunk by chunk (a convolution sums each chunk's patch gradients into its samples).
void Dense::backward_dx(const Mat& x, const Mat& w, Mat& dx, int threads) {
    const int64_t N = x.rows() * rows_per_sample_;
    dx.resize(x.rows(), x.cols());
    dx_scratch_.parts.resize(threads_for(x.rows(), threads));
    parallel_samples(N, rows_per_sample_, threads, [&](RowBlock blk, int t) {
        for_chunks(blk, rows_per_sample_, kChunkRows, [&](RowBlock c) {
            chunk_backward_dx(Eigen::Map<const Mat>(dz_rows(c, t), c.size(), out_), w, c, t, dx);
        });
    });
}

// Wf = W·s, bias_f = b − (mean0 + b)·s, s = γ/sqrt(var0 + ε), with mean0/var0 the batch
// statistics of z0 = x·W; the chain rule below follows those four definitions. Two passes:
// (1) dz = dy ∘ mask and the column sums that give ds (Σ_i dWf∘W = Σ_n dz∘z0, no GEMM needed);
// (2) dz0, then ONE product xᵀ·[dz | dz0] for both kernel gradients and ONE product
// [dz | dz0]·[Wqᵀ; Wᵀ] for dx: two wide GEMMs run faster than four narrow ones.
// Pass (1) of backward_bn: dz = dy ∘ mask into dcat_'s left half, with the per-thread sums of
// the output F's surrogate (row_partials_), of dz (row_partials2_) and of dz ∘ z0
// (row_partials3_).
void Dense::backward_bn_dz_pass(const Mat& y, const Mat& dy, int64_t N, int threads) {
    const int n = threads_for(N / rows_per_sample_, threads);
    dcat_.resize(N, 2 * out_);
    dx_scratch_.parts.resize(n);
    row_partials_.reset(n, 1, output_q.groups());
    column_scratch_.parts.resize(n);
    row_partials2_.reset(n, 1, out_);
    row_partials3_.reset(n, 1, out_);
    parallel_samples(N, rows_per_sample_, threads, [&](RowBlock blk, int t) {
        PhaseScope phase(Phase::Quantize);
        Mat& dz = dx_scratch_.parts[t];  // (chunk, out): dz lives only in cache
        for_chunks(blk, rows_per_sample_, kChunkRows, [&](RowBlock c) {
            phase.switch_to(Phase::Quantize);
            if (one_pass_dz()) {  // straight into dcat_'s left half, Σ dz∘z0 in the same pass
                masked_dz_block(chunk_tensors(y, dy, c, t), c, t, dcat_.data() + c.begin * 2 * out_,
                                2 * out_, &row_partials3_.parts[t]);
                return;
            }
            dz.resize(c.size(), out_);
            masked_dz_block(chunk_tensors(y, dy, c, t), c, t, dz.data(), out_, nullptr);
            phase.switch_to(Phase::BatchNorm);
            for (int64_t r = 0; r < c.size(); ++r)
                row_partials3_.parts[t].array() += dz.row(r).array() * z0.row(c.begin + r).array();
            dcat_.block(c.begin, 0, c.size(), out_) = dz;
        });
    });
}

void Dense::backward_bn(const Mat& x, const Mat& y, const Mat& dy, Mat* dx, int threads) {
    const int64_t N = x.rows() * rows_per_sample_;  // GEMM rows
    const int n = threads_for(N / rows_per_sample_, threads);
    backward_bn_dz_pass(y, dy, N, threads);
    PhaseScope phase(Phase::BatchNorm);
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

    const RowVec c = 2 * dvar0 / Scalar(N), shift = dmean0 / Scalar(N);
    wcat_.resize(2 * out_, in_);
    wcat_.topRows(out_) = Wq.transpose();
    wcat_.bottomRows(out_) = W.transpose();
    mat_partials_.reset(n, in_, 2 * out_);
    input_scratch_.parts.resize(n);
    if (dx) dx->resize(x.rows(), x.cols());
    phase.pause();
    // Per chunk: dz0 = dmean0/N + (z0 − mean0)·2·dvar0/N (the column mean and variance,
    // differentiated), then both products while [dz | dz0] is in cache.
    parallel_samples(N, rows_per_sample_, threads, [&](RowBlock blk, int t) {
        PhaseScope block_phase(Phase::BatchNorm);
        for_chunks(blk, rows_per_sample_, kChunkRows, [&](RowBlock ch) {
            block_phase.switch_to(Phase::BatchNorm);
            dz0_rows(z0.data() + ch.begin * out_, ch.size(), out_, mean0.data(), c.data(),
                     shift.data(), dcat_.data() + ch.begin * 2 * out_ + out_, 2 * out_);
            block_phase.pause();
            const Eigen::Map<const Mat> xc = chunk_rows(x, ch, t);
            block_phase.switch_to(Phase::BackwardGemm);
            const auto dc = dcat_.middleRows(ch.begin, ch.size());
            mat_partials_.parts[t].noalias() += xc.transpose() * dc;
            block_phase.pause();
            if (dx) chunk_backward_dx(dc, wcat_, ch, t, *dx);
        });
    });
    phase.switch_to(Phase::BatchNorm);
    const Mat g = mat_partials_.sum();  // (in, 2·out): [xᵀ·dz | xᵀ·dz0]
    const Mat dWf = g.leftCols(out_);
    kernel_q.surrogate_grad(dWf.data(), errW.data(), dWf.size());
    dW += dWf * bn_s.asDiagonal() + g.rightCols(out_);
}

// EBOPs = Σ_i Σ_j in_bits[i]·kernel_bits[i][j] (spec §3.2), accumulated in double: the sum is an
// integer that can pass float32's 2^24. Every term is an integer, so the order of the sum does not
// change it; a row's sum first saves the (in, out) double products of a cast GEMV.
double Dense::ebops(const RowVec& in_bits) {
    kernel_bits.resize(in_, out_);
    kernel_q.weight_bits(Wq.data(), kernel_bits.data());
    double total = 0;
    for (int64_t i = 0; i < in_; ++i) {
        double row = 0;
        for (int64_t j = 0; j < out_; ++j) row += double(kernel_bits(i, j));
        total += double(in_bits[i]) * row;
    }
    return total;
}

// ∂EBOPs/∂bits_w[i][j] is the same for every j of a row i (in_bits[i], or a convolution's
// bit column sum): `row_value` (in). The group sums run in the order of the weights, as a full
// (in, out) gradient matrix would, without building it; a per-weight kernel (the common case)
// has one weight per group and no sum at all.
void Dense::kernel_bits_backward(const RowVec& row_value, Scalar extra) {
    const int G = kernel_q.groups();
    const int64_t rows = kernel_bits.rows(), cols = kernel_bits.cols();
    const Scalar* kb = kernel_bits.data();
    if (G == rows * cols) {
        const Scalar scale = Scalar(1) / std::sqrt(Scalar(kernel_q.degeneracy()) * extra);
        Scalar* dF = kernel_q.dF.data();
        for (int64_t i = 0; i < rows; ++i)
            for (int64_t j = 0; j < cols; ++j)
                if (kb[i * cols + j] > 0) dF[i * cols + j] += row_value[i] * scale;
        return;
    }
    RowVec d_group = RowVec::Zero(G), group_bits = RowVec::Zero(G);
    int g = 0;  // e % G, counted rather than divided
    for (int64_t i = 0; i < rows; ++i)
        for (int64_t j = 0; j < cols; ++j) {
            d_group[g] += row_value[i];
            group_bits[g] = kb[i * cols + j];  // equal across a group
            if (++g == G) g = 0;
        }
    kernel_q.bits_grad(d_group, group_bits, extra);
}

void Dense::ebops_backward(Scalar beta, const RowVec& in_bits, RowVec& d_in) {
    kernel_bits_backward(beta * in_bits, 1);  // ∂/∂bits_w[i][j] = β·b_in[i]
    d_in += beta * kernel_bits.rowwise().sum().transpose();
}

}  // namespace hgq
