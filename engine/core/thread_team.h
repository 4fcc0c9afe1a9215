// SPDX-License-Identifier: GPL-3.0-or-later
// The engine's worker threads. A training step synchronises its threads ~20 times (every batch
// statistic, register and gradient sum is a reduction over the batch), so the cost of one
// hand-off decides small-batch speed: libgomp's passive waiters sleep in the kernel at once and
// cost ~14 µs a hand-off here, a quarter of a jet-tagger step; its spinning waiters steal the
// time slices of the very thread they wait for whenever the cores are shared (5× slower under a
// second busy process). A team's waiter spins for up to 200 µs while a core is free for it (a
// hand-off in flight takes ~1 µs), then sleeps on a futex; while the machine has more runnable
// threads than cores it sleeps at once (thread_team.cpp).
#pragma once

namespace hgq {

// Runs call(ctx, t) for t = 0 .. n−1, t = 0 on the calling thread, and returns when all are done.
// Each calling thread has its own team (runs of a sweep each keep their own thread cap). Called
// from inside a team's task it runs the tasks one after another on that thread: no nesting.
// An exception from any task is rethrown here after all tasks have finished.
void run_team(int n, void (*call)(void*, int), void* ctx);

// The index of the task this thread is running (0 outside any team).
int team_task_index();

}  // namespace hgq
