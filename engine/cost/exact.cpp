// SPDX-License-Identifier: GPL-3.0-or-later
#include "cost/exact.h"

#include <algorithm>

#include "core/error.h"
#include "nn/dense.h"

namespace hgq {

void trace_minmax(Model& model, const Mat& x, int batch_size, int threads) {
    model.reset_registers();
    ForwardContext ctx;
    ctx.record = true;
    ctx.threads = threads;
    for (int64_t begin = 0; begin < x.rows(); begin += batch_size) {
        const int64_t n = std::min<int64_t>(batch_size, x.rows() - begin);
        model.forward(x.middleRows(begin, n), ctx);
    }
}

std::vector<LayerExactBits> exact_bits(Model& model) {
    std::vector<LayerExactBits> out;
    std::vector<int> in_bits(shape_size(model.input_shape()), 0);
    for (auto& layer : model.layers()) {
        LayerExactBits lb;
        if (layer->kind() != "dense" && layer->kind() != "input_quantizer")
            throw Error::runtime(layer->name(), "exact_bits() covers dense models only",
                                 "use deploy() for convolutions and pooling");
        if (auto* d = dynamic_cast<Dense*>(layer.get())) {
            lb.kernel_bits.resize(d->Wq.size());
            const int out = d->Wq.cols();
            for (int64_t e = 0; e < d->Wq.size(); ++e) {
                lb.kernel_bits[e] = exact_span_bits(d->Wq.data()[e]);
                lb.ebops += int64_t(in_bits[e / out]) * lb.kernel_bits[e];
            }
        }
        if (Quantizer* q = layer->output_quantizer()) {
            lb.out_types = q->exact_types();
            const int n = shape_size(layer->output_shape()), G = q->groups();
            lb.out_feature_bits.resize(n);
            for (int e = 0; e < n; ++e) lb.out_feature_bits[e] = lb.out_types[e % G].bits();
        } else {
            lb.out_feature_bits = in_bits;
        }
        in_bits = lb.out_feature_bits;
        out.push_back(std::move(lb));
    }
    return out;
}

int64_t exact_ebops(Model& model) {
    int64_t total = 0;
    for (const auto& lb : exact_bits(model)) total += lb.ebops;
    return total;
}

}  // namespace hgq
