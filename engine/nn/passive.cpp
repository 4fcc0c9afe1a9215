// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/passive.h"

#include "core/error.h"
#include "core/parallel.h"
#include "core/phase_clock.h"

namespace hgq {

Pool::Pool(std::string name, const Shape& in, bool max, int ph, int pw, int sh, int sw, bool one_d)
    : max_(max), one_d_(one_d) {
    name_ = std::move(name);
    if (one_d && in.size() != 2)
        throw Error::bad_input(name_, "needs an input of shape (length, channels)");
    if (!one_d && in.size() != 3)
        throw Error::bad_input(name_, "needs an input of shape (height, width, channels)");
    g_ = one_d ? WindowGeometry::make(1, in[0], in[1], 1, pw, 1, sw, false)
               : WindowGeometry::make(in[0], in[1], in[2], ph, pw, sh, sw, false);
    in_shape_ = in;
    out_shape_ = one_d ? Shape{g_.out_w, g_.in_c} : Shape{g_.out_h, g_.out_w, g_.in_c};
    for (int p = 0; p < g_.positions(); ++p)
        for (int k = 0; k < g_.kh * g_.kw; ++k)
            window_base_.push_back(int32_t(input_index(p, k, 0)));
}

int64_t Pool::input_index(int p, int k, int c) const {
    const int oy = p / g_.out_w, ox = p % g_.out_w;
    const int iy = oy * g_.sh + k / g_.kw, ix = ox * g_.sw + k % g_.kw;
    return (int64_t(iy) * g_.in_w + ix) * g_.in_c + c;
}

namespace {
// A volatile prefetch: GCC treats __builtin_prefetch as free of effects, and C++ lets it delete a
// loop without effects — it deleted the whole prefetch loop below (and every call of it once out
// of line), with no warning and no speed-up to show for it.
inline void prefetch_line(const char* a) {
#if defined(__x86_64__)
    asm volatile("prefetcht0 %0" : : "m"(*a));
#else
    __builtin_prefetch(a);
#endif
}

// One window entry into the running channel maxima. The pointers never alias (input, output and
// argmax are separate buffers); saying so lets the compiler turn the loop into vector blends.
void max_step(const Scalar* __restrict v, int32_t k, int C, Scalar* __restrict out,
              int32_t* __restrict arg) {
    for (int c = 0; c < C; ++c) {
        const bool greater = v[c] > out[c];  // strictly: the first maximum wins ties
        arg[c] = greater ? k : arg[c];
        out[c] = greater ? v[c] : out[c];
    }
}
}  // namespace

// The window kPrefetchAhead positions after p — in the next sample's row once past this one's end —
// into cache. A pool's input is the previous layer's whole output (11 MB a batch after the CNN's
// first convolution), long gone from cache when the pool reads it, and the hardware prefetcher
// did not keep up with the window walk: 58 % of the pool's time sat on one load.
void Pool::prefetch_window(const Mat& x, int64_t n, int p) const {
    const int P = g_.positions(), K = g_.kh * g_.kw;
    p += kPrefetchAhead;
    if (p >= P) {
        p -= P;
        if (++n >= x.rows() || p >= P) return;
    }
    const Scalar* xin = x.row(n).data();
    const int64_t run = int64_t(g_.in_c) * int64_t(sizeof(Scalar));  // bytes of one entry
    // The first and the last byte of each entry's run: its lines for runs up to 64 bytes (16
    // channels); the hardware prefetcher follows longer runs.
    for (int k = 0; k < K; ++k) {
        const char* a = reinterpret_cast<const char*>(xin + window_base_[p * K + k]);
        prefetch_line(a);
        prefetch_line(a + run - 1);
    }
}

// Channels are innermost, so each window entry is a contiguous run of C values: the max is
// taken a channel vector at a time, recording which entry won.
void Pool::max_window(const Scalar* in, int p, Scalar* out, int32_t* arg) const {
    const int C = g_.in_c, K = g_.kh * g_.kw;
    const Scalar* first = in + window_base_[p * K];
    for (int c = 0; c < C; ++c) out[c] = first[c];
    for (int c = 0; c < C; ++c) arg[c] = 0;  // window entry 0 unless beaten
    for (int k = 1; k < K; ++k) max_step(in + window_base_[p * K + k], k, C, out, arg);
}

void Pool::forward(const Mat& x, Mat& y, const ForwardContext& ctx) {
    const int P = g_.positions(), C = g_.in_c, K = g_.kh * g_.kw;
    y.resize(x.rows(), int64_t(P) * C);
    if (max_) prepare_max(x.rows());
    parallel_rows(x.rows(), ctx.threads, [&](RowBlock b, int) {
        PhaseScope phase(Phase::Layout);
        for (int64_t n = b.begin; n < b.end; ++n) {
            const Scalar* xin = x.row(n).data();
            for (int p = 0; p < P; ++p) {
                prefetch_window(x, n, p);
                Scalar* out = y.row(n).data() + int64_t(p) * C;
                if (max_) {
                    max_window(xin, p, out, argmax_.data() + (n * P + p) * C);
                    continue;
                }
                const Scalar* first = xin + window_base_[p * K];
                for (int c = 0; c < C; ++c) out[c] = first[c];
                for (int k = 1; k < K; ++k) {
                    const Scalar* v = xin + window_base_[p * K + k];
                    for (int c = 0; c < C; ++c) out[c] += v[c];
                }
                for (int c = 0; c < C; ++c) out[c] /= Scalar(K);
            }
        }
    });
}

void Pool::backward(const Mat& x, const Mat&, const Mat& dy, Mat* dx, int threads) {
    if (!dx) return;
    const int P = g_.positions(), C = g_.in_c, K = g_.kh * g_.kw;
    dx->resize(x.rows(), x.cols());
    parallel_rows(x.rows(), threads, [&](RowBlock b, int) {
        PhaseScope phase(Phase::Layout);
        for (int64_t n = b.begin; n < b.end; ++n) {
            dx->row(n).setZero();  // a sample at a time: still in cache when the sums land
            Scalar* din = dx->row(n).data();
            for (int p = 0; p < P; ++p) {
                const Scalar* g = dy.row(n).data() + int64_t(p) * C;
                if (max_) {
                    const int32_t* arg = argmax_.data() + (n * P + p) * C;
                    for (int c = 0; c < C; ++c) din[window_base_[p * K + arg[c]] + c] += g[c];
                } else {
                    for (int k = 0; k < K; ++k)
                        for (int c = 0; c < C; ++c)
                            din[window_base_[p * K + k] + c] += g[c] / Scalar(K);
                }
            }
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
            d_in_bits[input_index(p, bit_argmax_[int64_t(p) * C + c], c)] +=
                d_out_bits[int64_t(p) * C + c];
}

Flatten::Flatten(std::string name, const Shape& in_shape) {
    name_ = std::move(name);
    in_shape_ = in_shape;
    out_shape_ = {shape_size(in_shape)};
}

void Flatten::forward(const Mat& x, Mat& y, const ForwardContext&) {
    PhaseScope phase(Phase::Layout);
    y = x;
}

void Flatten::backward(const Mat&, const Mat&, const Mat& dy, Mat* dx, int) {
    PhaseScope phase(Phase::Layout);
    if (dx) *dx = dy;
}

}  // namespace hgq
