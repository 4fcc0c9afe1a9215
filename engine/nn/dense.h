// SPDX-License-Identifier: GPL-3.0-or-later
// HDense / HDenseBatchNorm (spec §2.6, §9.9): kernel quantizer on the (fused) kernel, bias through
// the output quantizer's F, output quantizer, then ReLU. With batch-norm, training uses the batch
// statistics of x·W (with the float kernel) and inference the moving ones.
#pragma once
#include <functional>

#include "core/parallel.h"
#include "nn/layer.h"

namespace hgq {

struct DenseOptions {
    int units = 0;
    bool batchnorm = false;
    bool relu = false;
    Granularity weight_granularity = Granularity::PerElement;
    Granularity act_granularity = Granularity::PerElement;
    Rounding weight_rounding = Rounding::RND;
    Rounding act_rounding = Rounding::Auto;
    Scalar weight_init_bits = 2;
    Scalar act_init_bits = 2;
};

class Dense : public Layer {
  public:
    static constexpr Scalar kBnEpsilon = Scalar(1e-3);
    static constexpr Scalar kBnMomentum = Scalar(0.99);
    // Rows a GEMM and its element-wise follow-ups work on at a time (see for_chunks): 256 rows of
    // 64 floats are 64 KiB, so the chunk's input, output and error stay in the L2 cache.
    static constexpr int64_t kChunkRows = 256;

    // `positions` > 1: the rows of a convolution's im2col (one row per output position), with
    // `fan_out` the Glorot fan-out (kernel area × filters).
    Dense(std::string name, int in_features, const DenseOptions& opt, uint64_t init_seed,
          int positions = 1, int fan_out = 0);
    std::string kind() const override { return "dense"; }
    bool batchnorm() const { return bn_; }
    // Whether training takes the batch statistics from the input's Gram matrix (dense_gram.cpp):
    // on by default for a batch-norm layer with fewer inputs than outputs. Tests switch it to
    // check both paths agree.
    bool gram_statistics() const { return gram_; }
    void set_gram_statistics(bool on) { gram_ = bn_ && on; }
    bool relu() const { return relu_; }

    void forward(const Mat& x, Mat& y, const ForwardContext& ctx) override;
    void backward(const Mat& x, const Mat& y, const Mat& dy, Mat* dx, int threads) override;
    std::vector<Param> params() override;
    std::vector<Quantizer*> quantizers() override { return {&kernel_q, &output_q}; }
    Quantizer* output_quantizer() override { return &output_q; }
    double ebops(const RowVec& in_bits) override;
    void ebops_backward(Scalar beta, const RowVec& in_bits, RowVec& d_in) override;
    void on_first_batch(const Mat& x) override;
    void to_json(nlohmann::json& j) const override;
    void from_json(const nlohmann::json& j) override;

    // Parameters and state, public for tests, checkpoints and deployment.
    Mat W;                           // (in, out) float kernel
    RowVec b, gamma;                 // (out) bias; batch-norm scale (bn only)
    RowVec moving_mean, moving_var;  // (out) bn only, state not parameters
    Mat dW;
    RowVec db, dgamma;
    Quantizer kernel_q, output_q;  // kernel (in·out elements) and output (out elements)

    // Tensors of the last forward, for backward and inspection.
    Mat Wf, Wq, errW;         // (in, out) fused kernel, its quantization, Wf − Wq
    RowVec bias_f, bq, errb;  // (out) fused bias, its quantization, bias_f − bq
    Mat z0, errZ;             // (N, out) x·W (bn, training, not kept by the Gram path); z − Q(z)
    RowVec mean0, var0, bn_s;  // (out) batch statistics of z0 and the bn scale
    Mat kernel_bits;           // (in, out) training-form weight bits of Wq

  protected:
    // The GEMM rows of chunk `c` (whole samples; rows of the layer's (N·P, in) input matrix), a
    // (c.size(), in) row-major block: a dense layer's own rows of x; a convolution builds the
    // chunk's im2col patches into `scratch`, so no (N·P, in) patch matrix is ever stored.
    virtual const Scalar* chunk_input(const Mat& x, RowBlock c, Mat& scratch) const;
    // Where the (c.size(), in) gradient of chunk c's GEMM rows goes: a dense layer's rows of dx;
    // a convolution's `scratch`, which chunk_dx_done() then sums into the samples (col2im).
    virtual Scalar* chunk_dx(Mat& dx, RowBlock c, Mat& scratch) const;
    virtual void chunk_dx_done(const Mat& /*scratch*/, RowBlock /*c*/, Mat& /*dx*/) const {}

    // d(loss)/d(kernel bits) into the kernel F (group sums, 1/sqrt(n·extra) scale); the gradient
    // is constant along each row of the (in, out) kernel: row_value (in).
    void kernel_bits_backward(const RowVec& row_value, Scalar extra);

    // What the backward passes read of one chunk's rows: the gradient at the output, the output
    // and z − Q(z), each (c.size(), out) row-major; `masked`: dy already carries the ReLU mask
    // (y is then not read).
    struct ChunkTensors {
        const Scalar* dy;
        const Scalar* y;
        const Scalar* err;
        bool masked = false;
    };
    // A convolution fused with the max pool after it (nn/conv_pooled.cpp) never stores its
    // output: when set, output_stage leaves each chunk's y and z − Q(z) in thread scratch and
    // hands them to output_sink_ instead of writing y and errZ, and the backward passes take each
    // chunk's tensors from chunk_source_ instead of rows of y, dy and errZ.
    std::function<void(RowBlock c, int t, const Scalar* y, const Scalar* err)> output_sink_;
    // (`with_err` false: only dy is wanted, err may be left out.)
    std::function<ChunkTensors(RowBlock c, int t, bool with_err)> chunk_source_;

  private:
    void fuse_inference();                               // Wf, bias_f from the moving statistics
    void fuse_training(const Mat& x, int threads);       // z0 stats -> Wf, bias_f; moving averages
    void fuse_training_gram(const Mat& x, int threads);  // the same stats from xᵀx
    void fuse_batch_stats();  // mean0, var0 -> bn_s, Wf, bias_f; moving averages
    void quantize_kernel_and_bias();
    void output_stage(const Mat& x, Mat& y, const ForwardContext& ctx);
    // chunk_input() of thread t's chunk c as a (c.size(), in) matrix.
    Eigen::Map<const Mat> chunk_rows(const Mat& x, RowBlock c, int t);
    // dx of chunk c = dzc (c.size(), k) · w (k, in), delivered through chunk_dx/chunk_dx_done.
    void chunk_backward_dx(const Eigen::Ref<const Mat>& dzc, const Mat& w, RowBlock c, int t,
                           Mat& dx);
    // Chunk c's rows of y, dy and errZ, or what chunk_source_ gives for them.
    ChunkTensors chunk_tensors(const Mat& y, const Mat& dy, RowBlock c, int t) const;
    void masked_dz_block(const ChunkTensors& in, RowBlock blk, int t, Scalar* out,
                         int64_t out_stride, RowVec* dz_z0);
    // Whether masked_dz_block takes its one-pass path (per-column or per-layer output groups).
    bool one_pass_dz() {
        const int G = output_q.groups();
        return (G == out_ || G == 1) && out_ > 1;
    }
    void backward_dx(const Mat& x, const Mat& w, Mat& dx, int threads);
    void input_transposed_product(const Scalar* input, const Eigen::Map<const Mat>& dzc, int t);
    // dz's rows of chunk c (c.size(), out), from dz_ or rebuilt by chunk_source_.
    const Scalar* dz_rows(RowBlock c, int t) const;
    void backward_dz(const Mat& x, const Mat& y, const Mat& dy, int threads, Mat& dWq, RowVec& dbq,
                     const RowVec* centre = nullptr);
    void backward_bn(const Mat& x, const Mat& y, const Mat& dy, Mat* dx, int threads);
    void backward_bn_dz_pass(const Mat& y, const Mat& dy, int64_t N, int threads);
    void backward_bn_gram(const Mat& x, const Mat& y, const Mat& dy, Mat* dx, int threads);
    void gram_input_gradient(const Mat& x, const RowVec& c, const RowVec& shift, Mat& dx,
                             int threads);

    // Per-thread partial sums, reused across batches.
    Partials<RowVec> row_partials_, row_partials2_, row_partials3_, min_partials_, max_partials_;
    Partials<RowVec> column_scratch_;  // per thread: a per-layer quantizer's column sums (out); the
                                       // Gram path's centred input sums (in)
    Partials<Mat> mat_partials_, input_scratch_, dx_scratch_;
    Partials<Mat> sink_y_, sink_err_;  // (chunk, out) a chunk's y and z − Q(z) for output_sink_
    Mat dz_;    // (N·P, out) gradient at z (no batch-norm; with it, dz only lives per chunk)
    Mat dcat_;  // (N·P, 2·out) [d/dz | d/dz0] of a batch-norm layer
    Mat wcat_;  // (2·out, in) [Wqᵀ; Wᵀ]
    // Gram path: per-thread (in, in) Σ (x − ref)ᵀ(x − ref) and (1, in) Σ (x − ref) in double,
    // the centred chunk, and what backward needs of the batch: its input mean and Cov(x)·W.
    Partials<Eigen::MatrixXd> gram_partials_;
    Partials<Eigen::RowVectorXd> sum_partials_;
    Partials<Mat> centred_, gram_chunk_;
    RowVec centre_x_, mean_x_, centred_mean_x_;  // (in) the centre, mean(x), mean(x) − centre
    Mat cov_w_;                                  // (in, out)

    int in_ = 0, out_ = 0;
    int rows_per_sample_ = 1;  // im2col rows per sample (convolutions: output positions)
    bool bn_ = false, relu_ = false, f_pending_ = false, gram_ = false;
    Scalar weight_init_bits_ = 2;
    std::vector<int> bias_groups_;
};

}  // namespace hgq
