// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/openmp_policy.h"

#include <unistd.h>

#include <cstdlib>

namespace hgq {

void ensure_passive_openmp(char** argv) {
    if (std::getenv("OMP_WAIT_POLICY") || std::getenv("GOMP_SPINCOUNT")) return;
    if (setenv("OMP_WAIT_POLICY", "PASSIVE", 1) != 0) return;
    execv("/proc/self/exe", argv);  // returns only on failure: run on with libgomp's default
}

}  // namespace hgq
