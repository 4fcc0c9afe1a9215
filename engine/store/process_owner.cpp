// SPDX-License-Identifier: GPL-3.0-or-later
// Who is running a run: host, pid and the process's start time (field 22 of /proc/PID/stat), so a
// pid reused after a crash is not mistaken for the process that died.
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>

#include "store/study.h"

namespace hgq::store {
namespace {

std::string host_name() {
    char buf[256] = {};
    gethostname(buf, sizeof buf - 1);
    return buf;
}

std::string start_time(long pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(in, line)) return "";
    const auto close = line.rfind(')');  // the command name may contain spaces
    if (close == std::string::npos) return "";
    std::istringstream rest(line.substr(close + 2));
    std::string field;
    for (int i = 3; i <= 22 && rest >> field; ++i) {
    }
    return field;
}

}  // namespace

std::string process_owner() {
    const long pid = long(getpid());
    return host_name() + ":" + std::to_string(pid) + ":" + start_time(pid);
}

bool owner_alive(const std::string& owner) {
    // A cluster task: the scheduler knows whether it runs (hgq cluster collect asks it).
    if (owner.rfind("slurm:", 0) == 0) return true;
    const auto a = owner.find(':'), b = owner.rfind(':');
    if (a == std::string::npos || a == b) return false;
    if (owner.substr(0, a) != host_name()) return true;  // another machine's run: cannot tell
    const long pid = std::strtol(owner.c_str() + a + 1, nullptr, 10);
    if (pid <= 0) return false;
    if (kill(pid_t(pid), 0) != 0 && errno == ESRCH) return false;
    return start_time(pid) == owner.substr(b + 1);
}

std::string now_iso8601() {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace hgq::store
