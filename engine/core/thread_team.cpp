// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/thread_team.h"

#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace hgq {
namespace {

thread_local int t_task_index = 0;
thread_local bool t_in_team = false;

// How long a thread spins before it sleeps when a core is free for it. The spin is timed, not
// counted: a pause instruction lasts 10 to 150 cycles depending on the CPU. It covers a training
// step's serial stretches (the EBOPs terms, the loss: ~30–50 µs for the jet tagger), after which
// a sleeping worker would wake ~15 µs late. The budget is fixed: an earlier version quartered it
// after every wait that outlasted it and grew it by a quarter after every short one, and one
// serial stretch a step drove it to a few microseconds — on the jet tagger 3 of 4 waits ended in
// a futex sleep, 3 context switches a step and a fifth of the step spent waiting (with the fixed
// budget: under 140 context switches in a 3 s bench, and +20 % samples/s). Oversubscribed cores
// are detected by cores_to_spare() instead, and then nothing spins (libgomp's passive mode).
constexpr int64_t kSpinNs = 200'000;

int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// Whether a core is free for spinning: the kernel's count of threads running or ready to run
// (/proc/loadavg's "R/T", our own included) is at most the number of cores. When the cores are
// oversubscribed, a spinning thread takes the place of the very thread it waits for. Read at
// most every 20 ms per thread.
bool cores_to_spare() {
    static const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    thread_local int64_t checked = 0;
    thread_local bool spare = true;
    const int64_t t = now_ns();
    if (t - checked < 20'000'000) return spare;
    checked = t;
    if (FILE* f = std::fopen("/proc/loadavg", "r")) {
        double l1, l5, l15;
        unsigned running = 0, total = 0;
        if (std::fscanf(f, "%lf %lf %lf %u/%u", &l1, &l5, &l15, &running, &total) == 5)
            spare = running <= cores;
        std::fclose(f);
    }
    return spare;
}

// Waits until `flag` differs from `old`. `sleepers` counts threads asleep on it, so a waker pays
// for a futex call only when someone sleeps.
void wait_change(const std::atomic<int>& flag, int old, std::atomic<int>& sleepers) {
    const int64_t deadline = now_ns() + (cores_to_spare() ? kSpinNs : 0);
    for (int i = 0;; ++i) {
        if (flag.load(std::memory_order_acquire) != old) return;
        _mm_pause();
        if ((i & 31) == 31 && now_ns() >= deadline) break;
    }
    sleepers.fetch_add(1, std::memory_order_seq_cst);
    while (flag.load(std::memory_order_seq_cst) == old) flag.wait(old, std::memory_order_seq_cst);
    sleepers.fetch_sub(1, std::memory_order_relaxed);
}

void wake(std::atomic<int>& flag, std::atomic<int>& sleepers) {
    if (sleepers.load(std::memory_order_seq_cst) > 0) flag.notify_all();
}

class Team {
  public:
    ~Team() {
        stop_ = true;
        generation_.fetch_add(1, std::memory_order_seq_cst);
        generation_.notify_all();
        for (auto& w : workers_) w.join();
    }

    void run(int n, void (*call)(void*, int), void* ctx) {
        while (int(workers_.size()) < n - 1) {
            // The worker starts from the generation before this run's: it must see the bump.
            const int index = int(workers_.size()) + 1;
            const int seen = generation_.load(std::memory_order_relaxed);
            workers_.emplace_back([this, index, seen] { work(index, seen); });
        }
        call_ = call;
        ctx_ = ctx;
        active_ = n;
        error_ = nullptr;
        pending_.store(n - 1, std::memory_order_relaxed);
        generation_.fetch_add(1, std::memory_order_seq_cst);
        wake(generation_, sleepers_);
        run_task(0);
        for (int left = pending_.load(std::memory_order_acquire); left != 0;
             left = pending_.load(std::memory_order_acquire))
            wait_change(pending_, left, done_sleepers_);
        if (error_) std::rethrow_exception(error_);
    }

  private:
    void run_task(int t) {
        t_task_index = t;
        t_in_team = true;
        try {
            call_(ctx_, t);
        } catch (...) {
            std::lock_guard<std::mutex> lock(error_mutex_);
            if (!error_) error_ = std::current_exception();
        }
        t_in_team = false;
        t_task_index = 0;
    }

    void work(int index, int seen) {
        for (;;) {
            wait_change(generation_, seen, sleepers_);
            seen = generation_.load(std::memory_order_acquire);
            if (stop_) return;
            if (index >= active_) continue;
            run_task(index);
            if (pending_.fetch_sub(1, std::memory_order_seq_cst) == 1)
                wake(pending_, done_sleepers_);
        }
    }

    std::vector<std::thread> workers_;
    std::atomic<int> generation_{0}, pending_{0}, sleepers_{0}, done_sleepers_{0};
    void (*call_)(void*, int) = nullptr;
    void* ctx_ = nullptr;
    int active_ = 0;
    bool stop_ = false;
    std::exception_ptr error_;
    std::mutex error_mutex_;
};

}  // namespace

void run_team(int n, void (*call)(void*, int), void* ctx) {
    if (n <= 1 || t_in_team) {
        const int outer = t_task_index;
        for (int t = 0; t < n; ++t) {
            if (!t_in_team) t_task_index = t;
            call(ctx, t);
        }
        t_task_index = outer;
        return;
    }
    thread_local std::unique_ptr<Team> team;
    if (!team) team = std::make_unique<Team>();
    team->run(n, call, ctx);
}

int team_task_index() {
    return t_task_index;
}

}  // namespace hgq
