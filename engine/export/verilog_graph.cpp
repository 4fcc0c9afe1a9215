// SPDX-License-Identifier: GPL-3.0-or-later
#include "export/verilog_graph.h"

#include <bit>

#include "deploy/integer_plan.h"

namespace hgq::vlog {

std::vector<std::vector<Element>> elements(const IntegerModel& im) {
    const auto bounds = code_bounds(im);
    std::vector<std::vector<Element>> t(im.layers.size() + 1);
    const auto f0 = im.code_f(0);
    for (size_t e = 0; e < im.input_fmt.size(); ++e)
        t[0].push_back({im.input_fmt[e].W, im.input_fmt[e].is_signed, f0[e]});
    for (size_t l = 0; l < im.layers.size(); ++l) {
        const IntLayer& d = im.layers[l];
        const auto f = im.code_f(int(l) + 1);
        if (d.kind == IntLayer::Kind::Dense || d.kind == IntLayer::Kind::Conv) {
            for (size_t e = 0; e < d.out_fmt.size(); ++e)
                t[l + 1].push_back({d.out_fmt[e].W, d.out_fmt[e].is_signed, f[e]});
            continue;
        }
        if (d.kind == IntLayer::Kind::Flatten) {
            t[l + 1] = t[l];
            continue;
        }
        // Pools: as wide as the largest aligned code can be; signed if any window entry is.
        const WindowGeometry& g = d.geom;
        for (int e = 0; e < d.elements; ++e) {
            const int p = e / g.in_c, c = e % g.in_c;
            bool s = false;
            for (int k = 0; k < g.kh * g.kw; ++k) {
                const int iy = (p / g.out_w) * g.sh + k / g.kw,
                          ix = (p % g.out_w) * g.sw + k % g.kw;
                s = s || t[l][(iy * g.in_w + ix) * g.in_c + c].is_signed;
            }
            const Wide b = bounds[l + 1][e];
            const int bits = b == 0 ? 0 : int(std::bit_width(uint64_t(b))) + (s ? 1 : 0);
            t[l + 1].push_back({bits, s, f[e]});
        }
    }
    return t;
}

std::string operand(const std::string& wire, const Element& e) {
    return e.is_signed ? wire : "$signed({1'b0, " + wire + "})";
}

}  // namespace hgq::vlog
