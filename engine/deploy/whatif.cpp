// SPDX-License-Identifier: GPL-3.0-or-later
// Applying what-if edits to an integer model. Every edit keeps the model one the exporters and
// the integer model run exactly: activation types stay ap_fixed<W, I> per element (W = 0:
// pruned), the bias keeps its exact code, and the derived state (rounding folded into the bias,
// zeroed biases of pruned channels, the fractional bits of pooling outputs) is rebuilt after.
#include "deploy/whatif.h"

#include <climits>
#include <cmath>

#include "core/error.h"
#include "deploy/report.h"
#include "nn/dense.h"

namespace hgq {
namespace {

// The code of float weight `w` on the grid 2^-f with the kernel quantizer's rounding, in double:
// w·2^f is exact there (a float's 24-bit significand), and so is y + 1/2.
int64_t requantize(Scalar w, int f, Rounding r) {
    const double y = std::ldexp(double(w), f);
    if (!(std::fabs(y) < 0x1p62))
        throw Error::runtime(
            "what-if", "a weight needs over 62 bits at " + std::to_string(f) + " fractional bits");
    return int64_t(r == Rounding::TRN ? std::floor(y) : std::floor(y + 0.5));
}

// The F of channel j's first unpruned output (INT_MIN: the channel is pruned everywhere).
int channel_f(const IntLayer& d, int j) {
    for (size_t e = size_t(j); e < d.out_fmt.size(); e += size_t(d.out))
        if (d.out_fmt[e].W != 0) return d.out_fmt[e].F();
    return INT_MIN;
}

// Takes the RND offset out of the bias (out_fmt rounds instead): the same model, exactly, in the
// form an edit of the output types can change.
void unfold_rounding(IntLayer& d) {
    if (!d.bias_preshifted) return;
    for (int j = 0; j < d.out; ++j)
        if (const int fo = channel_f(d, j); fo != INT_MIN)
            d.b_code[j] -= int64_t(1) << (d.b_f[j] - fo - 1);
    for (auto& f : d.out_fmt) f.q = QMode::RND;
    d.bias_preshifted = false;
}

// Folds RND back into the bias where every output of each channel has the same F (as deploy
// does), and zeroes the biases of channels that are pruned everywhere (dead logic).
void refold_rounding(IntLayer& d, bool was_folded) {
    // The F of each channel's unpruned outputs, and whether it is one F per channel.
    std::vector<int> fo(size_t(d.out), INT_MIN);
    bool one_f = true;
    for (size_t e = 0; e < d.out_fmt.size(); ++e) {
        if (d.out_fmt[e].W == 0) continue;
        int& f = fo[e % size_t(d.out)];
        one_f &= f == INT_MIN || f == d.out_fmt[e].F();
        f = d.out_fmt[e].F();
    }
    if (was_folded && one_f) {
        for (int j = 0; j < d.out; ++j) {
            if (fo[j] == INT_MIN) continue;  // pruned: its bias is zeroed below
            const int f = std::max(d.b_f[j], fo[j] + 1);
            d.b_code[j] = (d.b_code[j] << (f - d.b_f[j])) + (int64_t(1) << (f - fo[j] - 1));
            d.b_f[j] = f;
        }
        for (auto& f : d.out_fmt) f.q = QMode::TRN;
        d.bias_preshifted = true;
    }
    for (int j = 0; j < d.out; ++j)
        if (fo[j] == INT_MIN) d.b_code[j] = 0;
}

void edit_activations(std::vector<FixedFormat>& fmts, const TensorEdit& e) {
    for (FixedFormat& f : fmts) {
        if (f.W == 0) continue;  // pruned stays pruned: it has no range to grow into
        int W = f.W;
        if (e.op == TensorEdit::Op::MaxBits) W = std::min(W, e.value);
        if (e.op == TensorEdit::Op::ShiftF) W += e.value;
        if (W <= 0)
            f = FixedFormat{0, 0, false, f.q, f.o};
        else
            f.W = W;  // I stays: only fractional bits are dropped or added
    }
}

void edit_weights(IntLayer& d, const FloatKernel& k, const TensorEdit& e) {
    if (k.fused == nullptr || k.fused->size() != int64_t(d.w_code.size()))
        throw Error::runtime(d.name, "the float kernel does not match the deployed one");
    const Scalar* w = k.fused->data();
    for (size_t i = 0; i < d.w_code.size(); ++i) {
        int64_t& code = d.w_code[i];
        int& f = d.w_f[i];
        if (e.op == TensorEdit::Op::Prune) {
            if (span_bits(code) <= e.value) code = 0;
        } else if (e.op == TensorEdit::Op::ShiftF) {
            code = requantize(w[i], f + e.value, k.rounding);
            f += e.value;
        } else if (span_bits(code) > e.value) {
            if (e.value == 0) {
                code = 0;
                continue;
            }
            // Each step drops one more fractional bit; |w|·2^f falls below 1 within ~64 steps,
            // where every code is 0 or ±1 (one bit).
            for (int g = f - 1; g >= f - 128; --g) {
                const int64_t c = requantize(w[i], g, k.rounding);
                if (span_bits(c) <= e.value) {
                    code = c;
                    f = g;
                    break;
                }
            }
        }
    }
}

const FloatKernel& kernel_of(const std::vector<FloatKernel>& kernels, const std::string& layer) {
    for (const auto& k : kernels)
        if (k.layer == layer) return k;
    throw Error::runtime(layer, "has no float kernel to re-quantize");
}

}  // namespace

std::vector<FloatKernel> float_kernels(Model& model) {
    std::vector<FloatKernel> out;
    for (auto& layer : model.layers())
        if (auto* d = dynamic_cast<Dense*>(layer.get())) {
            const Rounding r = d->kernel_q.rounding();
            out.push_back({d->name(), &d->Wf, r == Rounding::TRN ? Rounding::TRN : Rounding::RND});
        }
    return out;
}

IntegerModel apply_edits(const IntegerModel& parent, const std::vector<FloatKernel>& kernels,
                         const std::vector<TensorEdit>& edits) {
    check_edits(parent, edits);
    IntegerModel im = parent;
    for (const TensorEdit& e : edits) {
        if (e.layer == "input") {
            edit_activations(im.input_fmt, e);
            continue;
        }
        for (IntLayer& d : im.layers) {
            if (d.name != e.layer) continue;
            if (e.weights) {
                edit_weights(d, kernel_of(kernels, d.name), e);
            } else {
                const bool folded = d.bias_preshifted;
                unfold_rounding(d);
                edit_activations(d.out_fmt, e);
                refold_rounding(d, folded);
            }
        }
    }
    // Pooling and flatten carry their inputs' fractional bits, which activation edits change.
    for (size_t l = 0; l < im.layers.size(); ++l)
        if (!im.layers[l].pool_f.empty())
            im.layers[l].pool_f = passive_out_f(im.layers[l], im.code_f(int(l)));
    return im;
}

}  // namespace hgq
