// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the experiment config as `hgq train` reads it (read_file_maybe_gz, then
// parse_json_text and parse_experiment). Only the parse: the data it names is not loaded.
#include "config/experiment.h"
#include "config/json_reader.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = hgq::fuzz::write_input(
        "config.json", std::string_view(reinterpret_cast<const char*>(data), size));
    hgq::fuzz::expect_only_hgq_errors([&] {
        const std::string text = hgq::read_file_maybe_gz(path, hgq::kMaxConfigFileBytes);
        hgq::parse_experiment(hgq::parse_json_text(text, path), path);
    });
    return 0;
}
