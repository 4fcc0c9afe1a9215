// SPDX-License-Identifier: GPL-3.0-or-later
#include "deploy/report.h"

#include <bit>
#include <cmath>

#include "quant/fixed.h"

namespace hgq {

int span_bits(int64_t code) {
    if (code == 0) return 0;
    uint64_t m = code < 0 ? uint64_t(0) - uint64_t(code) : uint64_t(code);
    m >>= std::countr_zero(m);
    return 64 - std::countl_zero(m);
}

double mean_bits(const std::vector<int64_t>& hist) {
    double n = 0, sum = 0;
    for (size_t b = 0; b < hist.size(); ++b) {
        n += double(hist[b]);
        sum += double(b) * double(hist[b]);
    }
    return n > 0 ? sum / n : 0;
}

int max_bits(const std::vector<int64_t>& hist) {
    for (size_t b = hist.size(); b-- > 0;)
        if (hist[b] > 0) return int(b);
    return 0;
}

namespace {

void count(std::vector<int64_t>& hist, int bits) {
    if (int(hist.size()) <= bits) hist.resize(bits + 1, 0);
    ++hist[bits];
}

// Smallest ap type holding every value code·2^-f of a constant array.
std::string container(const std::vector<int64_t>& codes, const std::vector<int>& f) {
    int k = 0, i = -1000, fr = -1000;
    for (size_t e = 0; e < codes.size(); ++e) {
        if (codes[e] == 0) continue;
        k |= codes[e] < 0;
        const uint64_t a = uint64_t(codes[e] < 0 ? -codes[e] : codes[e]);
        i = std::max(i, 64 - std::countl_zero(a) - f[e]);
        fr = std::max(fr, f[e] - std::countr_zero(a));
    }
    if (i == -1000) return "0 (all pruned)";
    return FixedFormat::from_kif(k, i, fr, QMode::TRN, OMode::WRAP).ap_type();
}

std::string summary(const std::vector<FixedFormat>& fmts) {
    int lo = 1 << 30, hi = -1;
    for (const auto& f : fmts) lo = std::min(lo, f.W), hi = std::max(hi, f.W);
    bool same = true;
    for (const auto& f : fmts)
        same &= f.W == fmts[0].W && f.I == fmts[0].I && f.is_signed == fmts[0].is_signed;
    if (same) return fmts[0].W == 0 ? "0 (pruned)" : fmts[0].ap_type();
    return std::to_string(lo) + ".." + std::to_string(hi) + " bits";
}

LayerReport input_report(const IntegerModel& im) {
    LayerReport r;
    r.name = "input";
    for (const auto& f : im.input_fmt) {
        count(r.act_bits_hist, f.W);
        ++r.outputs;
        r.pruned_outputs += f.W == 0;
    }
    r.out_types = summary(im.input_fmt);
    return r;
}

}  // namespace

int csd_digits(int64_t m) {
    int digits = 0;
    while (m != 0) {
        if (m & 1) {
            const int64_t d = 2 - (m & 3);  // +1 or -1: the non-adjacent form's digit
            m -= d;
            ++digits;
        }
        m /= 2;
    }
    return digits;
}

namespace {

// A dense or convolution layer: EBOPs = (pf / P) · Σ_p Σ_k in_bits[patch(p, k)] · span(w[k][j]).
LayerReport kernel_report(const IntLayer& d, const std::vector<int>& in_bits) {
    LayerReport r;
    r.name = d.name;
    const bool conv = d.kind == IntLayer::Kind::Conv;
    const int P = conv ? d.geom.positions() : 1;
    double ebops = 0;
    for (int p = 0; p < P; ++p)
        for (int j = 0; j < d.out; ++j) {
            int terms = d.b_code[j] != 0 ? 1 : 0;
            for (int k = 0; k < d.in; ++k) {
                const int idx = conv ? d.patch_index[p * d.in + k] : k;
                if (idx < 0 || in_bits[idx] == 0) continue;
                const int64_t w = d.w_code[k * d.out + j];
                terms += csd_digits(w);
                ebops += double(in_bits[idx]) * span_bits(w);
            }
            r.adder_levels =
                std::max(r.adder_levels, terms > 1 ? int(std::ceil(std::log2(terms))) : 0);
        }
    r.ebops = int64_t(std::llround(ebops * (conv ? double(d.parallel_factor) / P : 1.0)));
    for (const auto& f : d.out_fmt) {
        count(r.act_bits_hist, f.W);
        ++r.outputs;
        r.pruned_outputs += f.W == 0;
    }
    for (int64_t w : d.w_code) {
        count(r.weight_bits_hist, span_bits(w));
        ++r.weights;
        r.pruned_weights += w == 0;
    }
    r.lut_estimate = r.ebops > 0 ? std::exp(0.985 * std::log(double(r.ebops))) : 0;
    r.weight_type = container(d.w_code, d.w_f);
    r.bias_type = container(d.b_code, d.b_f);
    r.out_types = summary(d.out_fmt);
    return r;
}

// Bits through a passive layer: pooling keeps each window's widest element (spec §3.2).
std::vector<int> passive_bits(const IntLayer& d, const std::vector<int>& in_bits) {
    if (d.kind == IntLayer::Kind::Flatten) return in_bits;
    const WindowGeometry& g = d.geom;
    std::vector<int> out(d.elements, 0);
    for (int e = 0; e < d.elements; ++e) {
        const int p = e / g.in_c, c = e % g.in_c;
        for (int k = 0; k < g.kh * g.kw; ++k) {
            const int iy = (p / g.out_w) * g.sh + k / g.kw, ix = (p % g.out_w) * g.sw + k % g.kw;
            out[e] = std::max(out[e], in_bits[(iy * g.in_w + ix) * g.in_c + c]);
        }
    }
    return out;
}

}  // namespace

std::vector<LayerReport> layer_reports(const IntegerModel& im) {
    std::vector<LayerReport> out = {input_report(im)};
    std::vector<int> bits;
    for (const auto& f : im.input_fmt) bits.push_back(f.W);
    for (const IntLayer& d : im.layers) {
        if (d.kind == IntLayer::Kind::Dense || d.kind == IntLayer::Kind::Conv) {
            out.push_back(kernel_report(d, bits));
            bits.clear();
            for (const auto& f : d.out_fmt) bits.push_back(f.W);
        } else {
            LayerReport r;
            r.name = d.name;
            bits = passive_bits(d, bits);
            for (int b : bits) count(r.act_bits_hist, b), ++r.outputs, r.pruned_outputs += b == 0;
            r.out_types = "(passes its input through)";
            out.push_back(std::move(r));
        }
    }
    return out;
}

nlohmann::json to_json(const LayerReport& r) {
    return {{"layer", r.name},
            {"ebops", r.ebops},
            {"lut_estimate", r.lut_estimate},
            {"adder_levels", r.adder_levels},
            {"weight_bits_hist", r.weight_bits_hist},
            {"act_bits_hist", r.act_bits_hist},
            {"weights", r.weights},
            {"pruned_weights", r.pruned_weights},
            {"outputs", r.outputs},
            {"pruned_outputs", r.pruned_outputs},
            {"weight_type", r.weight_type},
            {"bias_type", r.bias_type},
            {"out_types", r.out_types}};
}

nlohmann::json types_json(const IntegerModel& im) {
    auto fmts = [](const std::vector<FixedFormat>& v) {
        nlohmann::json a = nlohmann::json::array();
        for (const auto& f : v) a.push_back(f.W == 0 ? std::string("0") : f.ap_type());
        return a;
    };
    nlohmann::json j = {{"input", {{"out", fmts(im.input_fmt)}}}};
    for (const IntLayer& d : im.layers)
        if (!d.pool_f.empty())
            j[d.name] = {{"out_f", d.pool_f}};
        else
            j[d.name] = {{"weight_code", d.w_code},
                         {"weight_f", d.w_f},
                         {"bias_code", d.b_code},
                         {"bias_f", d.b_f},
                         {"bias_preshifted", d.bias_preshifted},
                         {"out", fmts(d.out_fmt)}};
    return j;
}

nlohmann::json to_json(const TraceDiff& d) {
    nlohmann::json layers = nlohmann::json::array();
    for (size_t l = 0; l < d.layers.size(); ++l)
        layers.push_back({{"layer", d.layers[l]},
                          {"max_abs_diff", d.max_abs_diff[l]},
                          {"overflows", d.overflows[l]}});
    return {{"layers", layers},
            {"argmax_agree", d.argmax_agree},
            {"samples", d.samples},
            {"clean_samples", d.clean_samples},
            {"clean_agree", d.clean_agree}};
}

}  // namespace hgq
