// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/passive.h"

#include "core/error.h"
#include "core/parallel.h"

namespace hgq {

Pool::Pool(std::string name, const Shape& in, bool max, int ph, int pw, int sh, int sw, bool one_d)
    : max_(max), one_d_(one_d) {
    name_ = std::move(name);
    if (one_d && in.size() != 2) throw Error::bad_input(name_, "needs an input of shape (length, channels)");
    if (!one_d && in.size() != 3) throw Error::bad_input(name_, "needs an input of shape (height, width, channels)");
    g_ = one_d ? WindowGeometry::make(1, in[0], in[1], 1, pw, 1, sw, false)
               : WindowGeometry::make(in[0], in[1], in[2], ph, pw, sh, sw, false);
    in_shape_ = in;
    out_shape_ = one_d ? Shape{g_.out_w, g_.in_c} : Shape{g_.out_h, g_.out_w, g_.in_c};
}

int64_t Pool::input_index(int p, int k, int c) const {
    const int oy = p / g_.out_w, ox = p % g_.out_w;
    const int iy = oy * g_.sh + k / g_.kw, ix = ox * g_.sw + k % g_.kw;
    return (int64_t(iy) * g_.in_w + ix) * g_.in_c + c;
}

void Pool::forward(const Mat& x, Mat& y, const ForwardContext& ctx) {
    const int P = g_.positions(), C = g_.in_c, K = g_.kh * g_.kw;
    y.resize(x.rows(), int64_t(P) * C);
    if (max_) argmax_.resize(x.rows() * int64_t(P) * C);
    parallel_rows(x.rows(), ctx.threads, [&](RowBlock b, int) {
        for (int64_t n = b.begin; n < b.end; ++n)
            for (int p = 0; p < P; ++p)
                for (int c = 0; c < C; ++c) {
                    Scalar acc = max_ ? x(n, input_index(p, 0, c)) : Scalar(0);
                    int best = 0;
                    for (int k = 0; k < K; ++k) {
                        const Scalar v = x(n, input_index(p, k, c));
                        if (!max_) acc += v;
                        else if (v > acc) acc = v, best = k;
                    }
                    y(n, int64_t(p) * C + c) = max_ ? acc : acc / Scalar(K);
                    if (max_) argmax_[(n * P + p) * C + c] = best;
                }
    });
}

void Pool::backward(const Mat& x, const Mat&, const Mat& dy, Mat* dx, int threads) {
    if (!dx) return;
    const int P = g_.positions(), C = g_.in_c, K = g_.kh * g_.kw;
    dx->setZero(x.rows(), x.cols());
    parallel_rows(x.rows(), threads, [&](RowBlock b, int) {
        for (int64_t n = b.begin; n < b.end; ++n)
            for (int p = 0; p < P; ++p)
                for (int c = 0; c < C; ++c) {
                    const Scalar g = dy(n, int64_t(p) * C + c);
                    if (max_) (*dx)(n, input_index(p, argmax_[(n * P + p) * C + c], c)) += g;
                    else
                        for (int k = 0; k < K; ++k) (*dx)(n, input_index(p, k, c)) += g / Scalar(K);
                }
    });
}

RowVec Pool::output_bits(const RowVec& in_bits) {
    const int P = g_.positions(), C = g_.in_c, K = g_.kh * g_.kw;
    RowVec out(int64_t(P) * C);
    bit_argmax_.resize(out.size());
    for (int p = 0; p < P; ++p)
        for (int c = 0; c < C; ++c) {
            int best = 0;
            for (int k = 1; k < K; ++k)
                if (in_bits[input_index(p, k, c)] > in_bits[input_index(p, best, c)]) best = k;
            out[int64_t(p) * C + c] = in_bits[input_index(p, best, c)];
            bit_argmax_[int64_t(p) * C + c] = best;
        }
    return out;
}

void Pool::output_bits_backward(const RowVec& d_out_bits, RowVec& d_in_bits) {
    const int P = g_.positions(), C = g_.in_c;
    for (int p = 0; p < P; ++p)
        for (int c = 0; c < C; ++c)
            d_in_bits[input_index(p, bit_argmax_[int64_t(p) * C + c], c)] += d_out_bits[int64_t(p) * C + c];
}

Flatten::Flatten(std::string name, const Shape& in_shape) {
    name_ = std::move(name);
    in_shape_ = in_shape;
    out_shape_ = {shape_size(in_shape)};
}

}  // namespace hgq
