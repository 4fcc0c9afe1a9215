// SPDX-License-Identifier: GPL-3.0-or-later
// What every export format shares: its options, the test vectors its testbench replays, what it
// wrote, and what verifying it found.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace hgq {

struct ExportOptions {
    std::string name = "hgq_model";  // top function / module and file names
    std::string part = "xcvu13p-flga2577-2-e";
    double clock_ns = 5.0;
    int register_stages = 0;  // Verilog: 0 combinational, n: a register after each of n layers
    bool overwrite = false;   // replace an earlier export in a non-empty folder
    // Share common subexpressions of each layer's constant multiplications (export/cse.h);
    // false writes one independent adder tree per output (hgq export --no-cse).
    bool share_adders = true;
    int max_extra_depth = 1;  // adder levels sharing may add per layer (export/cse.cpp); <0: any
};

// The shift-and-add graph's cost, fully unrolled (every conv position its own adders).
struct AdderCost {
    int64_t adders = 0;  // two-input additions/subtractions (bias and root negations included)
    int64_t bits = 0;    // sum of their carry-chain widths
    int64_t depth = 0;   // adder levels on the longest path, summed over the layers
};

// Integer codes of the model's input and output for each test sample, in the format's own
// containers (HLS: one type per tensor; Verilog: each element's own width).
struct TestVectors {
    std::vector<std::vector<int64_t>> inputs, outputs;
};

struct ExportStats {
    int64_t adders = 0;           // additions/subtractions emitted in the dense and conv bodies
    int64_t nonzero_weights = 0;  // weights with a non-zero code whose input is not pruned
    int64_t lines = 0;            // lines of generated firmware
    bool shared = true;           // the firmware shares adders (ExportOptions::share_adders)
    AdderCost with_sharing, without_sharing;  // the same model both ways, for the report
    std::vector<std::string> files;
};

struct VerifyResult {
    bool passed = false;
    int exit_code = 0;  // 3: did not compile
    double compile_seconds = 0, run_seconds = 0;
    std::string output;  // compiler and testbench output
};

}  // namespace hgq
