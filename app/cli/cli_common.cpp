// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli_common.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "core/error.h"

namespace hgq::cli {
namespace fs = std::filesystem;

std::string resources_dir() {
    if (const char* env = std::getenv("HGQ_RESOURCES"); env && *env) return env;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path installed = exe.parent_path().parent_path() / "share" / "hgq-studio";
        if (fs::exists(installed / "examples")) return installed.string();
    }
    return HGQ_SOURCE_RESOURCES;
}

namespace {
std::atomic<bool> g_interrupted{false};
extern "C" void on_sigint(int) {
    if (g_interrupted.exchange(true)) std::_Exit(130);  // a second Ctrl-C means "now"
}
}  // namespace

const std::atomic<bool>& install_interrupt_handler() {
    std::signal(SIGINT, on_sigint);
    std::signal(SIGTERM, on_sigint);
    return g_interrupted;
}

void emit_json(const nlohmann::json& j) {
    std::cout << j.dump() << '\n' << std::flush;
}

ProgressLine::ProgressLine() : tty_(isatty(STDERR_FILENO)) {}
ProgressLine::~ProgressLine() {
    clear();
}

void ProgressLine::update(const std::string& text, double fraction) {
    if (!tty_) return;
    constexpr int kWidth = 24;
    const int filled = static_cast<int>(fraction * kWidth + 0.5);
    std::string line =
        "\r[" + std::string(filled, '#') + std::string(kWidth - filled, '.') + "] " + text;
    const size_t len = line.size();
    if (len < last_len_) line += std::string(last_len_ - len, ' ');
    last_len_ = len;
    std::cerr << line << std::flush;
}

void ProgressLine::clear() {
    if (!tty_ || last_len_ == 0) return;
    std::cerr << '\r' << std::string(last_len_, ' ') << '\r' << std::flush;
    last_len_ = 0;
}

}  // namespace hgq::cli
