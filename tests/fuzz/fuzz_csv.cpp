// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: load_csv. The first byte picks the options (header or not, label column by
// default, index or name, a fixed class count); the rest is the file.
#include "data/dataset.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    hgq::TextLoadOptions opt;
    opt.header = !(data[0] & 1);
    const char* columns[] = {"", "0", "label", "1"};
    opt.label_column = columns[(data[0] >> 1) & 3];
    opt.n_classes = data[0] & 8 ? 10 : 0;
    if (data[0] & 16) opt.label_order = {"a", "b", "c"};
    const std::string path = hgq::fuzz::write_input(
        "in.csv", std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
    hgq::fuzz::expect_only_hgq_errors([&] { hgq::load_csv(path, opt); });
    return 0;
}
