// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/dense.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/parallel.h"
#include "core/phase_clock.h"
#include "nn/kernels.h"
#include "nn/narrow_gemm.h"

namespace hgq {

Dense::Dense(std::string name, int in_features, const DenseOptions& opt, uint64_t init_seed,
             int positions, int fan_out)
    : in_(in_features),
      out_(opt.units),
      rows_per_sample_(positions),
      bn_(opt.batchnorm),
      relu_(opt.relu),
      gram_(opt.batchnorm && in_features < opt.units) {
    name_ = std::move(name);
    in_shape_ = {in_};
    out_shape_ = {out_};
    W.resize(in_, out_);
    const int fo = fan_out > 0 ? fan_out : out_;
    fill_uniform(W.data(), W.size(), std::sqrt(Scalar(6) / Scalar(in_ + fo)), init_seed);
    b = RowVec::Zero(out_);
    gamma = RowVec::Ones(out_);
    moving_mean = RowVec::Zero(out_);
    moving_var = RowVec::Ones(out_);
    dW = Mat::Zero(in_, out_);
    db = RowVec::Zero(out_);
    dgamma = RowVec::Zero(out_);
    kernel_q.build(Quantizer::Role::Weight, in_ * out_, out_, opt.weight_granularity,
                   opt.weight_rounding == Rounding::Auto ? Rounding::RND : opt.weight_rounding);
    // "auto" is RND where the per-channel bias can absorb the offset: one F per channel (§1.2).
    // A convolution with per-element output F has several F per channel, so it truncates.
    const bool bias_absorbs = positions == 1 || opt.act_granularity != Granularity::PerElement;
    const Rounding auto_rounding = bias_absorbs ? Rounding::RND : Rounding::TRN;
    output_q.build(Quantizer::Role::Activation, out_ * positions, out_, opt.act_granularity,
                   opt.act_rounding == Rounding::Auto ? auto_rounding : opt.act_rounding, relu_);
    output_q.init_constant(opt.act_init_bits);
    weight_init_bits_ = opt.weight_init_bits;
    kernel_q.init_from_weights(W.data(), weight_init_bits_);
    f_pending_ = bn_;  // batch-norm layers adapt F to the fused kernel on the first batch
}

std::vector<Param> Dense::params() {
    std::vector<Param> p = {{name_ + ".W", W.data(), dW.data(), W.size(), false},
                            {name_ + ".b", b.data(), db.data(), b.size(), false}};
    if (bn_) p.push_back({name_ + ".bn_gamma", gamma.data(), dgamma.data(), gamma.size(), false});
    p.push_back({name_ + ".F_w", kernel_q.F.data(), kernel_q.dF.data(), kernel_q.F.size(), true});
    p.push_back({name_ + ".F_a", output_q.F.data(), output_q.dF.data(), output_q.F.size(), true});
    return p;
}

void Dense::fuse_inference() {
    if (!bn_) {
        Wf = W;
        bias_f = b;
        return;
    }
    bn_s = gamma.array() / (moving_var.array() + kBnEpsilon).sqrt();
    Wf = W * bn_s.asDiagonal();
    bias_f = b.array() - moving_mean.array() * bn_s.array();
}

// Merges a chunk's (count, mean, sum of squared deviations) into a running one (Chan et al.):
// exact in real arithmetic, and it keeps float32 variances accurate in one pass over the data.
namespace {
void merge_moments(int64_t& count, RowVec& mean, RowVec& m2, int64_t c_count, const RowVec& c_mean,
                   const RowVec& c_m2) {
    const int64_t total = count + c_count;
    const RowVec delta = c_mean - mean;
    const Scalar w = Scalar(c_count) / Scalar(total);
    m2 += c_m2 + (delta.array().square() * (Scalar(count) * w)).matrix();
    mean += delta * w;
    count = total;
}
}  // namespace

namespace {
// A chunk's column means and sums of squared deviations from them, (rows, cols) row-major z:
// the same sums in the same order as Eigen's row-by-row form, as a free function so GCC keeps
// the column sums in registers (__restrict on parameters).
void chunk_mean_m2(const Scalar* __restrict z, int64_t rows, int64_t cols, Scalar* __restrict mean,
                   Scalar* __restrict m2) {
    for (int64_t j = 0; j < cols; ++j) mean[j] = 0, m2[j] = 0;
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t j = 0; j < cols; ++j) mean[j] += z[r * cols + j];
    for (int64_t j = 0; j < cols; ++j) mean[j] /= Scalar(rows);
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t j = 0; j < cols; ++j) {
            const Scalar d = z[r * cols + j] - mean[j];
            m2[j] += d * d;
        }
}
}  // namespace

const Scalar* Dense::chunk_input(const Mat& x, RowBlock c, Mat&) const {
    return x.data() + c.begin * in_;
}

Scalar* Dense::chunk_dx(Mat& dx, RowBlock c, Mat&) const {
    return dx.data() + c.begin * in_;
}

Eigen::Map<const Mat> Dense::chunk_rows(const Mat& x, RowBlock c, int t) {
    PhaseScope phase(Phase::Layout);
    return {chunk_input(x, c, input_scratch_.parts[t]), c.size(), in_};
}

// Batch statistics of z0 = x·W with the float kernel (§9.9); the batch mean includes b. Each
// chunk's mean and squared deviations are taken right after its product, while it is in cache.
void Dense::fuse_training(const Mat& x, int threads) {
    const int64_t N = x.rows() * rows_per_sample_;  // GEMM rows
    const int n = threads_for(N / rows_per_sample_, threads);
    input_scratch_.parts.resize(n);
    z0.resize(N, out_);
    row_partials_.reset(n, 1, out_);   // block means
    row_partials2_.reset(n, 1, out_);  // block sums of squared deviations
    std::vector<int64_t> counts(n, 0);
    parallel_samples(N, rows_per_sample_, threads, [&](RowBlock blk, int t) {
        PhaseScope phase(Phase::ForwardGemm);
        RowVec c_mean(out_), c_m2(out_);
        for_chunks(blk, rows_per_sample_, kChunkRows, [&](RowBlock c) {
            phase.pause();
            const Eigen::Map<const Mat> xc = chunk_rows(x, c, t);
            phase.switch_to(Phase::ForwardGemm);
            auto z = z0.middleRows(c.begin, c.size());
            z.noalias() = xc * W;
            phase.switch_to(Phase::BatchNorm);
            chunk_mean_m2(z.data(), c.size(), out_, c_mean.data(), c_m2.data());
            merge_moments(counts[t], row_partials_.parts[t], row_partials2_.parts[t], c.size(),
                          c_mean, c_m2);
        });
    });
    PhaseScope phase(Phase::BatchNorm);
    mean0 = RowVec::Zero(out_);
    for (int t = 0; t < n; ++t) mean0 += Scalar(counts[t]) * row_partials_.parts[t];
    mean0 /= Scalar(N);
    var0 = RowVec::Zero(out_);
    for (int t = 0; t < n; ++t)
        var0 += row_partials2_.parts[t] +
                Scalar(counts[t]) * (row_partials_.parts[t] - mean0).array().square().matrix();
    var0 /= Scalar(N);
    fuse_batch_stats();
}

void Dense::fuse_batch_stats() {
    const RowVec batch_mean = mean0 + b;
    bn_s = gamma.array() / (var0.array() + kBnEpsilon).sqrt();
    Wf = W * bn_s.asDiagonal();
    bias_f = b.array() - batch_mean.array() * bn_s.array();
    moving_mean = kBnMomentum * moving_mean + (1 - kBnMomentum) * batch_mean;
    moving_var = kBnMomentum * moving_var + (1 - kBnMomentum) * var0;
}

void Dense::quantize_kernel_and_bias() {
    PhaseScope phase(Phase::Quantize);
    Wq.resize(in_, out_);
    errW.resize(in_, out_);
    kernel_q.quantize(Wf.data(), Wq.data(), errW.data(), Wf.size(), false);
    bias_groups_ = output_q.bias_groups();
    bq.resize(out_);
    errb.resize(out_);
    quantize_bias(output_q, bias_groups_, bias_f.data(), bq.data(), errb.data());
}

// z = x·Wq + bq; y = Q(z); registers of Q(z); ReLU — one pass per row block. errZ first holds
// z, then z − Q(z).
void Dense::output_stage(const Mat& x, Mat& y, const ForwardContext& ctx) {
    const int64_t N = x.rows() * rows_per_sample_;  // GEMM rows
    const int n = threads_for(N / rows_per_sample_, ctx.threads);
    input_scratch_.parts.resize(n);
    if (output_sink_) {
        sink_y_.parts.resize(n);
        sink_err_.parts.resize(n);
        y.resize(0, 0);  // never formed: the sink takes each chunk while it is in cache
        errZ.resize(0, 0);
    } else {
        y.resize(N, out_);
        errZ.resize(N, out_);
    }
    min_partials_.parts.assign(n, output_q.reg_min());
    max_partials_.parts.assign(n, output_q.reg_max());
    parallel_samples(N, rows_per_sample_, ctx.threads, [&](RowBlock blk, int t) {
        PhaseScope phase(Phase::ForwardGemm);
        for_chunks(blk, rows_per_sample_, kChunkRows, [&](RowBlock c) {
            phase.pause();
            const Eigen::Map<const Mat> xc = chunk_rows(x, c, t);
            phase.switch_to(Phase::ForwardGemm);
            if (output_sink_) {
                sink_err_.parts[t].resize(c.size(), out_);
                sink_y_.parts[t].resize(c.size(), out_);
            }
            // (c.size(), out) z, then z − Q(z); and y
            Scalar* zp = output_sink_ ? sink_err_.parts[t].data() : errZ.data() + c.begin * out_;
            Scalar* yp = output_sink_ ? sink_y_.parts[t].data() : y.data() + c.begin * out_;
            if (narrow_gemm_applies(in_, out_)) {
                narrow_product(xc.data(), c.size(), in_, Wq.data(), out_, bq.data(), false, zp);
            } else {
                Eigen::Map<Mat> z(zp, c.size(), out_);
                z.rowwise() = bq;  // the product accumulates onto the bias: no zero fill or pass
                z.noalias() += xc * Wq;
            }
            phase.switch_to(Phase::Quantize);
            // The stochastic stream is keyed by the chunk's first row: same seed and threads,
            // same run.
            output_q.quantize_output(
                zp, yp, c.size() * out_, ctx.training, ctx.seed + static_cast<uint64_t>(c.begin),
                ctx.record ? &min_partials_.parts[t] : nullptr, &max_partials_.parts[t], relu_);
            if (output_sink_) {
                phase.switch_to(Phase::Layout);
                output_sink_(c, t, yp, zp);
            }
        });
    });
    PhaseScope phase(Phase::Quantize);
    if (ctx.record)
        for (int t = 0; t < n; ++t)
            output_q.merge_registers(min_partials_.parts[t], max_partials_.parts[t]);
}

void Dense::forward(const Mat& x, Mat& y, const ForwardContext& ctx) {
    {
        PhaseScope phase(Phase::Quantize);
        kernel_q.prepare();
        output_q.prepare();
    }
    if (bn_ && ctx.training && gram_) {
        fuse_training_gram(x, ctx.threads);
    } else if (bn_ && ctx.training) {
        fuse_training(x, ctx.threads);
    } else {
        PhaseScope phase(Phase::BatchNorm);
        fuse_inference();
    }
    quantize_kernel_and_bias();
    output_stage(x, y, ctx);
}

// HGQ adapts a batch-norm layer's kernel F to the kernel fused with the variance of the layer's
// inference-mode output on the first batch (spec §1.5), so every weight starts with ~init bits.
void Dense::on_first_batch(const Mat& x) {
    if (!f_pending_) return;
    f_pending_ = false;
    fuse_inference();
    Mat z = x * Wf;
    z.rowwise() += bias_f;
    Mat zq(z.rows(), z.cols()), err(z.rows(), z.cols());
    output_q.prepare();
    output_q.quantize(z.data(), zq.data(), err.data(), z.size(), false);
    if (relu_) zq = zq.cwiseMax(Scalar(0));
    RowVec mean, var;
    column_mean_var(zq, mean, var);
    const RowVec s = gamma.array() / (var.array() + kBnEpsilon).sqrt();
    const Mat fused = W * s.asDiagonal();
    kernel_q.init_from_weights(fused.data(), weight_init_bits_);
}

void Dense::to_json(nlohmann::json& j) const {
    Layer::to_json(j);
    if (!bn_) return;
    j["moving_mean"] = std::vector<double>(moving_mean.data(), moving_mean.data() + out_);
    j["moving_variance"] = std::vector<double>(moving_var.data(), moving_var.data() + out_);
}

void Dense::from_json(const nlohmann::json& j) {
    Layer::from_json(j);
    f_pending_ = false;  // the snapshot's F is what the user wants
    if (!bn_) return;
    const auto mm = j.at("moving_mean").get<std::vector<double>>();
    const auto mv = j.at("moving_variance").get<std::vector<double>>();
    for (int c = 0; c < out_ && c < static_cast<int>(mm.size()); ++c)
        moving_mean[c] = Scalar(mm[c]);
    for (int c = 0; c < out_ && c < static_cast<int>(mv.size()); ++c) moving_var[c] = Scalar(mv[c]);
}

}  // namespace hgq
