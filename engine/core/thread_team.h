// SPDX-License-Identifier: GPL-3.0-or-later
// The engine's worker threads. A training step synchronises its threads ~20 times (every batch
// statistic, register and gradient sum is a reduction over the batch), so the cost of one
// hand-off decides small-batch speed: libgomp's passive waiters sleep in the kernel at once and
// cost ~14 µs a hand-off here, a quarter of a jet-tagger step; its spinning waiters steal the
// time slices of the very thread they wait for whenever the cores are shared (5× slower under a
// second busy process). A team waits in three stages instead: a short spin (a hand-off in
// flight takes < 1 µs), then sched_yield (on a shared core the thread we wait for runs), then a
// futex sleep.
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
