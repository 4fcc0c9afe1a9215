// SPDX-License-Identifier: GPL-3.0-or-later
// Float (quantized, inference) vs integer model, layer by layer: where accuracy is lost after
// conversion, and whether overflow (data outside the traced ranges) is the cause.
#include <algorithm>
#include <cmath>

#include "deploy/deploy.h"

namespace hgq {

TraceDiff trace_diff(Model& model, const IntegerModel& im, const Mat& x, int threads,
                     const int32_t* labels) {
    TraceDiff d;
    const size_t L = im.layers.size() + 1;
    d.layers.push_back("input");
    for (const auto& l : im.layers)
        d.layers.push_back(l.name);  // one per model layer after the input
    d.max_abs_diff.assign(L, 0.0);
    d.overflows.assign(L, 0);
    ForwardContext ctx;
    ctx.threads = threads;
    for (int64_t begin = 0; begin < x.rows(); begin += 4096) {
        const int64_t n = std::min<int64_t>(4096, x.rows() - begin);
        const Mat xb = x.middleRows(begin, n);
        model.forward(xb, ctx);
        const IntTrace t = im.run(xb, threads);
        for (size_t l = 0; l < L; ++l) {
            const Mat& a = model.activation(int(l) + 1);
            const auto f = im.code_f(int(l));
            for (int64_t e = 0; e < a.size(); ++e) {
                const double fixed = std::ldexp(double(t.codes[l][e]), -f[e % f.size()]);
                d.max_abs_diff[l] =
                    std::max(d.max_abs_diff[l], std::fabs(double(a.data()[e]) - fixed));
            }
            d.overflows[l] += t.overflows[l];
        }
        const auto pred = im.argmax(t);
        const Mat& logits = model.logits();
        for (int64_t r = 0; r < n; ++r) {
            Eigen::Index arg;
            logits.row(r).maxCoeff(&arg);
            d.argmax_agree += arg == pred[r];
            if (labels) {
                d.fixed_correct += pred[r] == labels[begin + r];
                d.float_correct += arg == labels[begin + r];
            }
            if (!t.sample_overflow[r]) {
                ++d.clean_samples;
                d.clean_agree += arg == pred[r];
            }
        }
        d.samples += n;
    }
    return d;
}

}  // namespace hgq
