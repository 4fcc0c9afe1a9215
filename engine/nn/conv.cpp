// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/conv.h"

#include "core/error.h"

namespace hgq {
namespace {
WindowGeometry conv_geometry(const Shape& in, const ConvOptions& c) {
    if (c.one_d) {
        if (in.size() != 2)
            throw Error::bad_input("conv1d", "needs an input of shape (length, channels)");
        return WindowGeometry::make(1, in[0], in[1], 1, c.kw, 1, c.sw, c.same);
    }
    if (in.size() != 3)
        throw Error::bad_input("conv2d", "needs an input of shape (height, width, channels)");
    return WindowGeometry::make(in[0], in[1], in[2], c.kh, c.kw, c.sh, c.sw, c.same);
}

DenseOptions with_units(DenseOptions d, int filters) {
    d.units = filters;
    return d;
}
}  // namespace

Conv::Conv(std::string name, const Shape& in_shape, const ConvOptions& c, const DenseOptions& d,
           uint64_t init_seed)
    : Dense(std::move(name), conv_geometry(in_shape, c).patch(), with_units(d, c.filters),
            init_seed, conv_geometry(in_shape, c).positions(), c.kh * c.kw * c.filters),
      g_(conv_geometry(in_shape, c)),
      one_d_(c.one_d) {
    pf_ = c.parallel_factor > 0 ? c.parallel_factor : g_.positions();
    in_shape_ = in_shape;
    out_shape_ = one_d_ ? Shape{g_.out_w, c.filters} : Shape{g_.out_h, g_.out_w, c.filters};
}

// A row-major (N, P·C) matrix and its (N·P, C) view share one memory layout, and Eigen's resize
// keeps the buffer when the element count is unchanged: reshaping in place saves a full copy of
// the layer's output and of its gradient on every step.
namespace {
void reshape(const Mat& m, int64_t rows, int64_t cols) {
    // The model owns these buffers as non-const objects; only the shape changes, never the data.
    const_cast<Mat&>(m).resize(rows, cols);
}
}  // namespace

// Dense's passes see the (N·P, K) patch matrix a chunk of samples at a time (chunk_input): the
// patches are built in cache right before each product and never stored whole.
void Conv::forward(const Mat& x, Mat& y, const ForwardContext& ctx) {
    Dense::forward(x, y, ctx);                    // y: (N·P, filters)
    y.resize(x.rows(), shape_size(out_shape_));  // same element count: a reshape, no copy
}

void Conv::backward(const Mat& x, const Mat& y, const Mat& dy, Mat* dx, int threads) {
    const int64_t N = x.rows(), P = g_.positions(), C = y.cols() / P;
    reshape(y, N * P, C);
    reshape(dy, N * P, C);
    Dense::backward(x, y, dy, dx, threads);  // dx: (N, input size), summed back per chunk
    reshape(y, N, P * C);
    reshape(dy, N, P * C);
}

const Scalar* Conv::chunk_input(const Mat& x, RowBlock c, Mat& scratch) const {
    const int64_t P = g_.positions(), K = g_.patch();
    scratch.resize(c.size(), K);  // (samples·P, K) patches of the chunk's samples
    for (int64_t s = c.begin / P; s < c.end / P; ++s)
        im2col_row(g_, x.row(s).data(), scratch.data() + (s * P - c.begin) * K);
    return scratch.data();
}

Scalar* Conv::chunk_dx(Mat&, RowBlock c, Mat& scratch) const {
    scratch.resize(c.size(), g_.patch());
    return scratch.data();
}

void Conv::chunk_dx_done(const Mat& scratch, RowBlock c, Mat& dx) const {
    const int64_t P = g_.positions(), K = g_.patch();
    for (int64_t s = c.begin / P; s < c.end / P; ++s) {
        dx.row(s).setZero();  // the chunk owns its samples' rows whole
        col2im_row(g_, scratch.data() + (s * P - c.begin) * K, dx.row(s).data());
    }
}

void Conv::on_first_batch(const Mat& x) {
    Mat cols;
    im2col(g_, x, cols, 1);
    Dense::on_first_batch(cols);
}

// (pf / P) · Σ conv(B_in, B_w) = (pf / P) · Σ_k (Σ_p cols[p][k]) · (Σ_j B_w[k][j]).
double Conv::ebops(const RowVec& in_bits) {
    kernel_bits.resize(Wq.rows(), Wq.cols());
    kernel_q.weight_bits(Wq.data(), kernel_bits.data());
    Mat cols(g_.positions(), g_.patch());
    im2col_row(g_, in_bits.data(), cols.data());
    bit_col_sums_ = cols.colwise().sum();
    const double scale = double(pf_) / double(g_.positions());
    return scale *
           (bit_col_sums_.cast<double>() * kernel_bits.rowwise().sum().cast<double>()).value();
}

void Conv::ebops_backward(Scalar beta, const RowVec& in_bits, RowVec& d_in) {
    const Scalar scale = beta * Scalar(pf_) / Scalar(g_.positions());
    kernel_bits_backward(scale * bit_col_sums_, Scalar(pf_));  // HGQ counts a conv kernel's F pf times (§2.3)
    const RowVec per_patch = scale * kernel_bits.rowwise().sum().transpose();
    const Mat dcols = per_patch.replicate(g_.positions(), 1);
    col2im_row(g_, dcols.data(), d_in.data());  // padded positions carry no bits: dropped
    (void)in_bits;
}

}  // namespace hgq
