// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: load_arff. The first byte picks the options (label column by default, index
// or name; a label order); the rest is the file.
#include "data/dataset.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    hgq::TextLoadOptions opt;
    const char* columns[] = {"", "0", "class", "1"};
    opt.label_column = columns[data[0] & 3];
    if (data[0] & 4) opt.label_order = {"g", "q", "w", "z", "t"};
    opt.n_classes = data[0] & 8 ? 5 : 0;
    const std::string path = hgq::fuzz::write_input(
        "in.arff", std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
    hgq::fuzz::expect_only_hgq_errors([&] { hgq::load_arff(path, opt); });
    return 0;
}
