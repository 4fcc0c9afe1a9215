// SPDX-License-Identifier: GPL-3.0-or-later
// Passive layers: max pooling (exact compares), power-of-two average pooling (an exact sum, then
// a shift that only moves the binary point) and flatten (a copy; channels-last order is kept).
#include <cmath>

#include "export/hls_layers.h"

namespace hgq::hls {
namespace {

void emit_window_table(std::ostream& os, const IntLayer& d, const std::string& fn) {
    const WindowGeometry& g = d.geom;
    const int K = g.kh * g.kw;
    os << "static const int " << fn << "_index[" << d.elements << "][" << K << "] = {\n";
    for (int e = 0; e < d.elements; ++e) {
        const int p = e / g.in_c, c = e % g.in_c;
        os << "    {";
        for (int k = 0; k < K; ++k) {
            const int iy = (p / g.out_w) * g.sh + k / g.kw, ix = (p % g.out_w) * g.sw + k % g.kw;
            os << (k ? "," : "") << (iy * g.in_w + ix) * g.in_c + c;
        }
        os << "},\n";
    }
    os << "};\n";
}

}  // namespace

Emitted emit_pool(std::ostream& os, const IntLayer& d, const std::string& fn, const Tensor& in,
                  const std::string& in_t, const Tensor&, const std::string& out_t) {
    const int E = d.elements;
    if (d.kind == IntLayer::Kind::Flatten) {
        os << "// " << d.name << ": flatten (channels-last order kept)\nstatic void " << fn
           << "(const " << in_t << " x[" << E << "], " << out_t << " y[" << E
           << "]) {\nHGQ_PRAGMA(HLS INLINE)\n    for (int e = 0; e < " << E
           << "; ++e) {\nHGQ_PRAGMA(HLS UNROLL)\n        y[e] = x[e];\n    }\n}\n\n";
        return {};
    }
    const int K = d.geom.kh * d.geom.kw;
    emit_window_table(os, d, fn);
    os << "// " << d.name << ": " << (d.kind == IntLayer::Kind::MaxPool ? "max" : "average")
       << " pool over " << K << " entries\nstatic void " << fn << "(const " << in_t << " x["
       << d.geom.in_size() << "], " << out_t << " y[" << E << "]) {\nHGQ_PRAGMA(HLS INLINE)\n"
       << "    for (int e = 0; e < " << E << "; ++e) {\nHGQ_PRAGMA(HLS UNROLL)\n";
    if (d.kind == IntLayer::Kind::MaxPool) {
        os << "        " << in_t << " m = x[" << fn
           << "_index[e][0]];\n        for (int k = 1; k < " << K
           << "; ++k) {\nHGQ_PRAGMA(HLS UNROLL)\n            if (x[" << fn
           << "_index[e][k]] > m) m = x[" << fn << "_index[e][k]];\n        }\n        y[e] = m;\n";
    } else {
        const int L = int(std::lround(std::log2(double(K))));
        const Container s{in.c.W + 2 * L, in.c.I + L, in.c.is_signed};  // the sum, then / 2^L
        os << "        " << s.type() << " s = 0;\n        for (int k = 0; k < " << K
           << "; ++k) {\nHGQ_PRAGMA(HLS UNROLL)\n            s += " << s.type() << "(x[" << fn
           << "_index[e][k]]);\n        }\n        y[e] = s >> " << L << ";\n";
    }
    os << "    }\n}\n\n";
    return {};
}

}  // namespace hgq::hls
