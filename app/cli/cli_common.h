// SPDX-License-Identifier: GPL-3.0-or-later
// What the hgq subcommands share: resource lookup, Ctrl-C, terminal progress and JSON lines.
#pragma once
#include <atomic>
#include <nlohmann/json.hpp>
#include <string>

namespace hgq::cli {

// The folder with examples/ and data/: $HGQ_RESOURCES, then <exe>/../share/hgq-studio, then the
// source tree this binary was built from.
std::string resources_dir();

// Ctrl-C sets this flag instead of killing the process; the trainer stops at the next batch.
const std::atomic<bool>& install_interrupt_handler();

// One JSON object per line on stdout, flushed at once (scripts tail it).
void emit_json(const nlohmann::json& j);

// A one-line progress bar on stderr when it is a terminal; silent otherwise.
class ProgressLine {
  public:
    ProgressLine();
    ~ProgressLine();
    void update(const std::string& text, double fraction);
    void clear();  // before printing a normal line
    bool active() const { return tty_; }

  private:
    bool tty_ = false;
    size_t last_len_ = 0;
};

}  // namespace hgq::cli
