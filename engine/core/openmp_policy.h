// SPDX-License-Identifier: GPL-3.0-or-later
// OpenMP threads that sleep instead of spin while they wait. libgomp's default spins for
// ~300,000 iterations at every barrier; when the cores are shared (a sweep's parallel runs, the
// app's GUI thread, a build, another user) a spinning waiter burns the time slice the thread it
// waits for needs, and a 2-thread run slowed from 0.8 s to 64 s for 60 digits epochs on this
// 2-core machine under load (bench: 3,325 vs 111,597 samples/s). The wait policy is read once,
// from the environment, when libgomp is loaded — before main — so the only way to set it from
// the program is to set it and execute the program again.
#pragma once

namespace hgq {

// Unless OMP_WAIT_POLICY or GOMP_SPINCOUNT is already set (the user's choice wins), sets
// OMP_WAIT_POLICY=PASSIVE and re-executes /proc/self/exe with the same arguments (same pid, so
// nothing that waits on this process notices). Returns if the re-execution is not possible.
void ensure_passive_openmp(char** argv);

}  // namespace hgq
