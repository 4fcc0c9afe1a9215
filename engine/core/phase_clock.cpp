// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/phase_clock.h"

#include <atomic>

#include "core/thread_team.h"

namespace hgq {

const char* phase_name(Phase p) {
    switch (p) {
        case Phase::ForwardGemm: return "forward GEMMs";
        case Phase::Quantize: return "quantizers + surrogate grads";
        case Phase::BatchNorm: return "batch-norm";
        case Phase::Bits: return "bit / EBOPs terms";
        case Phase::BackwardGemm: return "backward GEMMs";
        case Phase::Optimizer: return "optimizer (Adam)";
        case Phase::Layout: return "im2col / col2im / pooling";
        case Phase::Loss: return "softmax cross-entropy";
        case Phase::Count: break;
    }
    return "?";
}

namespace phase_clock {
namespace {
std::atomic<bool> g_enabled{false};
std::array<std::atomic<int64_t>, size_t(Phase::Count)> g_ns{};
}  // namespace

void enable(bool on) { g_enabled.store(on, std::memory_order_relaxed); }
bool enabled() { return g_enabled.load(std::memory_order_relaxed); }

void reset() {
    for (auto& ns : g_ns) ns.store(0, std::memory_order_relaxed);
}

std::array<double, size_t(Phase::Count)> seconds() {
    std::array<double, size_t(Phase::Count)> s{};
    for (size_t p = 0; p < s.size(); ++p) s[p] = double(g_ns[p].load()) * 1e-9;
    return s;
}

void add(Phase p, int64_t nanoseconds) {
    g_ns[size_t(p)].fetch_add(nanoseconds, std::memory_order_relaxed);
}

bool recording_thread() { return enabled() && team_task_index() == 0; }

}  // namespace phase_clock
}  // namespace hgq
