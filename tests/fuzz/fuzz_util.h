// SPDX-License-Identifier: GPL-3.0-or-later
// Shared by the libFuzzer targets: the loaders take paths, so each input is written to a file in
// a per-process temporary folder; hgq::Error is the expected outcome of bad input, and any other
// exception aborts so that libFuzzer reports it as a crash with the input that caused it.
#pragma once
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>
#include <string_view>
#include <typeinfo>

#include "core/error.h"

namespace hgq::fuzz {

// The folder this process writes its inputs to, removed when the process exits normally. Held
// by a pointer never freed: the exit handler runs after static strings are destroyed.
inline const std::string& work_dir() {
    static const std::string* dir = [] {
        const char* tmp = std::getenv("TMPDIR");
        auto* d = new std::string(std::string(tmp && *tmp ? tmp : "/tmp") + "/hgq-fuzz-XXXXXX");
        if (!::mkdtemp(d->data())) std::abort();
        std::atexit([] {
            std::error_code ec;
            std::filesystem::remove_all(*dir, ec);
        });
        return d;
    }();
    return *dir;
}

// Writes `bytes` to `name` in the work folder and returns its path.
inline std::string write_input(const char* name, std::string_view bytes) {
    const std::string path = work_dir() + "/" + name;
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) std::abort();
    if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size())
        std::abort();
    std::fclose(f);
    return path;
}

// Two files from one input: a 2-byte little-endian word whose low 15 bits are the length of the
// first file (a length past the end takes everything) and whose top bit is a flag for the target;
// the rest is the second file.
struct Pair {
    std::string_view first, second;
    bool flag = false;
};
inline Pair split_input(const uint8_t* data, size_t size) {
    if (size < 2) return {};
    const size_t word = size_t(data[0]) | size_t(data[1]) << 8, len = word & 0x7fff;
    const std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);
    const size_t cut = len < rest.size() ? len : rest.size();
    return {rest.substr(0, cut), rest.substr(cut), (word & 0x8000) != 0};
}

// Runs `load`; hgq::Error is fine, anything else is a crash.
template <class F>
void expect_only_hgq_errors(F load) {
    try {
        load();
    } catch (const hgq::Error&) {
    } catch (const std::exception& e) {
        std::fprintf(stderr, "FUZZ: a %s escaped instead of hgq::Error: %s\n", typeid(e).name(),
                     e.what());
        std::abort();
    } catch (...) {
        std::fprintf(stderr, "FUZZ: a non-std exception escaped\n");
        std::abort();
    }
}

}  // namespace hgq::fuzz
