// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/output_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/error.h"

namespace hgq {
namespace fs = std::filesystem;

bool same_file(const std::string& a, const std::string& b) {
    std::error_code ec;
    return fs::exists(a, ec) && fs::exists(b, ec) && fs::equivalent(a, b, ec);
}

void check_output_file(const std::string& path, bool force, const std::vector<std::string>& never) {
    std::error_code ec;
    if (fs::is_directory(path, ec))
        throw Error::bad_input(path, "is a folder", "name a file to write");
    for (const auto& other : never)
        if (same_file(path, other))
            throw Error::bad_input(path, "is a file this command reads (" + other + ")",
                                   "name a new file to write");
    if (fs::exists(path, ec) && !force)
        throw Error::bad_input(path, "exists already",
                               "name a new file, or pass --force to replace it");
}

namespace {
bool write_all(int fd, const std::string& text) {
    for (size_t done = 0; done < text.size();) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += size_t(n);
    }
    return ::fsync(fd) == 0;
}
}  // namespace

void write_file_atomic(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        throw Error::bad_input(path, std::string("cannot write here: ") + std::strerror(errno),
                               "check that the folder exists and is writable");
    const bool ok = write_all(fd, text);
    const int err = errno;
    ::close(fd);
    if (!ok) {
        ::unlink(tmp.c_str());
        throw Error::runtime(path, std::string("writing failed: ") + std::strerror(err),
                             "is the disk full? nothing was replaced");
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int rename_err = errno;
        ::unlink(tmp.c_str());
        throw Error::runtime(
            path, std::string("cannot move the file into place: ") + std::strerror(rename_err));
    }
}

void copy_file_atomic(const std::string& from, const std::string& to) {
    const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) throw Error::runtime(from, std::string("cannot read: ") + std::strerror(errno));
    std::string bytes;
    char buf[1 << 16];
    for (;;) {
        const ssize_t n = ::read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int err = errno;
            ::close(in);
            throw Error::runtime(from, std::string("cannot read: ") + std::strerror(err));
        }
        if (n == 0) break;
        bytes.append(buf, size_t(n));
    }
    ::close(in);
    write_file_atomic(to, bytes);
}

}  // namespace hgq
