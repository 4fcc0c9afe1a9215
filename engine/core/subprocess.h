// SPDX-License-Identifier: GPL-3.0-or-later
// Running an external tool (yosys, g++, Verilator, sbatch) with its output captured, line by line, and a cancel flag
// that stops it and everything it started. popen() cannot do either: it gives no pid to kill.
#pragma once
#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace hgq {

struct ProcessResult {
    int exit_code = 0;       // exit status; 127: could not start; -1: status lost (waitpid)
    bool cancelled = false;  // stopped through the cancel flag
    std::string output;      // stdout and stderr, interleaved as written
};

// Runs argv[0] (looked up on PATH) in `cwd` in its own process group. `on_line` sees each
// complete output line as it arrives; `cancel` is polled 10 times a second and, once set, the
// whole group gets SIGTERM (SIGKILL after 2 s).
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& cwd,
                          const std::atomic<bool>* cancel = nullptr,
                          const std::function<void(const std::string&)>& on_line = {});

// Whether `tool` is an executable on PATH.
bool tool_on_path(const std::string& tool);

}  // namespace hgq
