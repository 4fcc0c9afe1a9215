// SPDX-License-Identifier: GPL-3.0-or-later
#include "export/hls_types.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/error.h"

namespace hgq::hls {

std::string Container::type() const {
    return std::string(is_signed ? "ap_fixed<" : "ap_ufixed<") + std::to_string(W) + "," +
           std::to_string(I) + ">";
}

int64_t Container::max_abs_code() const {
    return is_signed ? (int64_t(1) << (W - 1)) : (int64_t(1) << W) - 1;
}

namespace {

// Smallest container of a set of element formats: max fractional bits, max integer bits (an
// unsigned element needs one more in a signed container).
Container cover(const std::vector<FixedFormat>& fmts) {
    bool any = false, is_signed = false;
    int F = 0, I = 0;
    for (const auto& f : fmts) is_signed = is_signed || (f.W > 0 && f.is_signed);
    for (const auto& f : fmts) {
        if (f.W == 0) continue;
        const int i = f.I + (is_signed && !f.is_signed ? 1 : 0);
        F = any ? std::max(F, f.F()) : f.F();
        I = any ? std::max(I, i) : i;
        any = true;
    }
    if (!any) return {};  // every element pruned: a 1-bit zero
    Container c{I + F, I, is_signed};
    if (c.W < 1) c = {1, I, is_signed};  // a value like ap_ufixed<0,-2>: keep one bit
    if (c.W > 53)
        throw Error::runtime("HLS export", "a tensor needs " + std::to_string(c.W) +
                                               " bits; the exporter supports up to 53");
    return c;
}

Tensor pooled(const IntLayer& d, const Tensor& in) {
    Tensor t;
    t.c = in.c;
    if (d.kind == IntLayer::Kind::AvgPool) {
        const int K = d.geom.kh * d.geom.kw, log2k = int(std::lround(std::log2(double(K))));
        t.c.W += log2k;  // the sum keeps every bit; the division by 2^k moves the point
    }
    t.zero.assign(d.elements, true);
    if (d.kind == IntLayer::Kind::Flatten) {
        t.zero = in.zero;
        return t;
    }
    const WindowGeometry& g = d.geom;
    for (int e = 0; e < d.elements; ++e) {
        const int p = e / g.in_c, ch = e % g.in_c;
        for (int k = 0; k < g.kh * g.kw; ++k) {
            const int iy = (p / g.out_w) * g.sh + k / g.kw, ix = (p % g.out_w) * g.sw + k % g.kw;
            if (!in.zero[(iy * g.in_w + ix) * g.in_c + ch]) t.zero[e] = false;
        }
    }
    return t;
}

}  // namespace

std::vector<Tensor> tensors(const IntegerModel& im) {
    std::vector<Tensor> out;
    Tensor input{cover(im.input_fmt), {}};
    for (const auto& f : im.input_fmt) input.zero.push_back(f.W == 0);
    out.push_back(input);
    for (const IntLayer& d : im.layers) {
        if (d.kind == IntLayer::Kind::Dense || d.kind == IntLayer::Kind::Conv) {
            Tensor t{cover(d.out_fmt), {}};
            for (const auto& f : d.out_fmt) t.zero.push_back(f.W == 0);
            out.push_back(t);
        } else {
            out.push_back(pooled(d, out.back()));
        }
    }
    return out;
}

std::vector<Digit> csd(int64_t m) {
    std::vector<Digit> digits;
    for (int shift = 0; m != 0; ++shift, m /= 2) {
        if (m & 1) {
            const int64_t d = 2 - (m & 3);  // +1 or −1: the non-adjacent form's digit
            digits.push_back({int(d), shift});
            m -= d;
        }
    }
    return digits;
}

std::string exact_literal(int64_t code, int f) {
    if (code >= (int64_t(1) << 53) || code <= -(int64_t(1) << 53))
        throw Error::runtime("HLS export", "a constant needs more than 53 bits");
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", std::ldexp(double(code), -f));
    return buf;
}

}  // namespace hgq::hls
