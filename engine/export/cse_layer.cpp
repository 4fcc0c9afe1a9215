// SPDX-License-Identifier: GPL-3.0-or-later
// A layer's constant multiplication as the CSE's input: one digit list per output (filter).
#include <algorithm>

#include "export/cse.h"

namespace hgq::cse {
namespace {

// (out) digits over the K inputs; `seed` 0: canonical forms, else random minimal ones.
std::vector<std::vector<Term>> layer_digits(const IntLayer& d, const std::vector<Range>& inputs,
                                            uint64_t seed) {
    std::vector<std::vector<Term>> outputs(d.out);
    uint64_t rng = 0x9E3779B97F4A7C15ull * (seed + 1);
    for (int j = 0; j < d.out; ++j)
        for (int k = 0; k < d.in; ++k) {
            const int64_t w = d.w_code[size_t(k) * d.out + j];
            if (w != 0 && (inputs[k].lo != 0 || inputs[k].hi != 0))
                append_digits(outputs[j], k, w, d.w_f[size_t(k) * d.out + j],
                              seed == 0 ? nullptr : &rng);
        }
    return outputs;
}

// The time of one sharing grows about as the square of the layer's digits, so a layer tries
// 2^24 / digits² representations, at most `most`: up to ~1,450 digits (the digits MLP's layers,
// three of the jet-tagger shape's four) all 8, from ~2,900 (a 784-input layer has ~30,000) only
// the canonical one. 8 tries gave 0.8–1.5 % fewer LUT bits than one on the digits MLP's front
// points and nothing on the jet-tagger shape.
int tries(const std::vector<std::vector<Term>>& digits, int most) {
    double n = 0;
    for (const auto& v : digits) n += double(v.size());
    const double budget = double(uint64_t(1) << 24) / std::max(1.0, n * n);
    return int(std::clamp(budget, 1.0, double(std::max(1, most))));
}

}  // namespace

Graph share_layer(const IntLayer& d, const std::vector<Range>& inputs, const Options& opt,
                  int64_t* lut_bits) {
    std::vector<std::vector<Term>> digits = layer_digits(d, inputs, 0);
    if (!opt.enabled) return share(inputs, std::move(digits), opt);
    const int n = tries(digits, opt.restarts);
    int64_t best_bits = 0;
    Graph best = share(inputs, std::move(digits), opt, &best_bits);
    for (int r = 1; r < n; ++r) {
        int64_t bits = 0;
        Graph g = share(inputs, layer_digits(d, inputs, uint64_t(r)), opt, &bits);
        if (bits < best_bits) best = std::move(g), best_bits = bits;
    }
    if (lut_bits) *lut_bits = best_bits;
    return best;
}

}  // namespace hgq::cse
