// SPDX-License-Identifier: GPL-3.0-or-later
// A layer's constant multiplication as the CSE's input: one digit list per output (filter).
#include "export/cse.h"

namespace hgq::cse {

Graph share_layer(const IntLayer& d, const std::vector<Range>& inputs, const Options& opt) {
    std::vector<std::vector<Term>> outputs(d.out);  // (out) digits over the K inputs
    for (int j = 0; j < d.out; ++j)
        for (int k = 0; k < d.in; ++k) {
            const int64_t w = d.w_code[size_t(k) * d.out + j];
            if (w != 0 && (inputs[k].lo != 0 || inputs[k].hi != 0))
                append_digits(outputs[j], k, w, d.w_f[size_t(k) * d.out + j]);
        }
    return share(inputs, std::move(outputs), opt);
}

}  // namespace hgq::cse
