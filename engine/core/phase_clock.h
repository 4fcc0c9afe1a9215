// SPDX-License-Identifier: GPL-3.0-or-later
// Where a training step's time goes, for `hgq bench`. Off unless a benchmark turns it on; then
// each PhaseScope adds its wall time to its phase. Only task 0 of a thread team, which is the
// calling thread (core/thread_team.h), records: its scopes tile one thread's timeline, so the phases add up
// to the step's wall time minus what thread 0 spends waiting (fork, join, imbalance), which the
// benchmark reports as "other".
#pragma once
#include <array>
#include <chrono>
#include <cstdint>

namespace hgq {

enum class Phase : int {
    ForwardGemm,   // x·W products of the forward pass (batch statistics and output)
    Quantize,      // quantizers: rounding, errors, min/max registers, surrogate gradients, ReLU
    BatchNorm,     // batch statistics, fusing, the statistics' backward
    Bits,          // bit maps, EBOPs and their gradients, the ΣF regulariser
    BackwardGemm,  // dW and dx products
    Optimizer,     // Adam
    Layout,        // im2col / col2im, pooling, flatten copies
    Loss,          // softmax cross-entropy
    Count
};

const char* phase_name(Phase p);

namespace phase_clock {
void enable(bool on);
bool enabled();
void reset();
std::array<double, size_t(Phase::Count)> seconds();  // per phase since reset()
void add(Phase p, int64_t nanoseconds);
bool recording_thread();  // enabled() and this is thread 0 of its team (or no team)
}  // namespace phase_clock

// Times its lifetime into a phase; switch_to() ends one phase and starts the next; pause() stops
// timing before a parallel region whose blocks time themselves (thread 0 of the region is this
// thread: timing both would count the region twice).
class PhaseScope {
  public:
    explicit PhaseScope(Phase p) : phase_(p), on_(phase_clock::recording_thread()) {
        if (on_) start_ = std::chrono::steady_clock::now();
        running_ = on_;
    }
    ~PhaseScope() { pause(); }
    PhaseScope(const PhaseScope&) = delete;
    PhaseScope& operator=(const PhaseScope&) = delete;
    void switch_to(Phase next) {
        pause();
        phase_ = next;
        running_ = on_;
        if (on_) start_ = std::chrono::steady_clock::now();
    }
    void pause() {
        if (!running_) return;
        running_ = false;
        phase_clock::add(phase_, std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::steady_clock::now() - start_)
                                     .count());
    }

  private:
    Phase phase_;
    bool on_, running_;
    std::chrono::steady_clock::time_point start_;
};

}  // namespace hgq
