// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: load_npy on two files (x and y) split from one input (fuzz_util split_input);
// its flag picks a fixed class count of 10 instead of none.
#include "data/dataset.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const hgq::fuzz::Pair in = hgq::fuzz::split_input(data, size);
    const int n_classes = in.flag ? 10 : 0;  // a structured binding cannot be captured (C++20)
    const std::string xp = hgq::fuzz::write_input("x.npy", in.first);
    const std::string yp = hgq::fuzz::write_input("y.npy", in.second);
    hgq::fuzz::expect_only_hgq_errors([&] { hgq::load_npy(xp, yp, n_classes); });
    return 0;
}
