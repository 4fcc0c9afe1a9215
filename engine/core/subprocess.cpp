// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "core/error.h"

namespace hgq {
namespace {

// posix_spawn, not fork: fork copies the page tables of the whole (GUI) process while holding
// its memory lock, which stalls every other thread for tens of milliseconds.
pid_t spawn(const std::vector<std::string>& argv, const std::string& cwd, int out_fd, int& err) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);  // never a tty
    posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&fa, out_fd, STDERR_FILENO);
    if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, cwd.c_str());
    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);  // its own group: cancel reaches all
    posix_spawnattr_setpgroup(&at, 0);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    err = posix_spawnp(&pid, args[0], &fa, &at, args.data(), environ);
    posix_spawnattr_destroy(&at);
    posix_spawn_file_actions_destroy(&fa);
    return err == 0 ? pid : -1;
}

// Hands every complete line in `pending` to `on_line`, keeping the unfinished tail.
void split_lines(std::string& pending, const std::function<void(const std::string&)>& on_line) {
    size_t start = 0;
    for (size_t nl; (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1)
        if (on_line) on_line(pending.substr(start, nl - start));
    pending.erase(0, start);
}

}  // namespace

// Owns the child while it runs: whatever leaves run_process (an exception from on_line
// included) closes the pipe, stops the group if it still runs, and reaps the child.
struct Child {
    pid_t pid;
    int fd;
    bool reaped = false;
    ~Child() {
        close(fd);
        if (reaped) return;
        kill(-pid, SIGKILL);
        while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
        }
    }
    int wait() {  // the exit status as a shell reports it; -1 when it cannot be known
        int status = 0;
        pid_t got;
        while ((got = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
        }
        reaped = true;
        if (got < 0) return -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
};

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& cwd,
                          const std::atomic<bool>* cancel,
                          const std::function<void(const std::string&)>& on_line) {
    int fds[2];
    if (argv.empty() || pipe2(fds, O_CLOEXEC) != 0)
        throw Error::runtime(argv.empty() ? "process" : argv[0], "cannot create a pipe");
    int err = 0;
    const pid_t pid = spawn(argv, cwd, fds[1], err);
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        return {127, false, argv[0] + ": cannot start: " + std::strerror(err)};
    }
    Child child{pid, fds[0]};
    ProcessResult r;
    std::string pending;
    std::chrono::steady_clock::time_point term_sent;
    for (bool open = true; open;) {
        pollfd p{child.fd, POLLIN, 0};
        if (poll(&p, 1, 100) > 0) {
            char buf[4096];
            const ssize_t got = read(child.fd, buf, sizeof buf);
            if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
            if (got <= 0)
                open = false;
            else {
                r.output.append(buf, size_t(got));
                pending.append(buf, size_t(got));
                split_lines(pending, on_line);
            }
        }
        if (cancel && cancel->load() && !r.cancelled) {
            r.cancelled = true;
            term_sent = std::chrono::steady_clock::now();
            kill(-pid, SIGTERM);
        } else if (r.cancelled &&
                   std::chrono::steady_clock::now() - term_sent > std::chrono::seconds(2))
            kill(-pid, SIGKILL);
    }
    if (!pending.empty() && on_line) on_line(pending);
    r.exit_code = child.wait();
    if (r.exit_code < 0) r.output += "\n(" + argv[0] + ": exit status lost: waitpid failed)\n";
    return r;
}

bool tool_on_path(const std::string& tool) {
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/bin:/bin";
    for (size_t start = 0; start <= dirs.size();) {
        size_t end = dirs.find(':', start);
        if (end == std::string::npos) end = dirs.size();
        const std::filesystem::path f =
            std::filesystem::path(dirs.substr(start, end - start)) / tool;
        if (access(f.c_str(), X_OK) == 0 && !std::filesystem::is_directory(f)) return true;
        start = end + 1;
    }
    return false;
}

}  // namespace hgq
