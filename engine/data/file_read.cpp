// SPDX-License-Identifier: GPL-3.0-or-later
// Whole-file reads with transparent gunzip, bounded: only regular files are read (a FIFO would
// block forever, /dev/zero never ends, a folder reads as nothing), and neither the file nor its
// unpacked content may exceed the caller's limit.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <new>

#include "core/error.h"
#include "data/dataset.h"
#include "data/load_util.h"

namespace hgq {
namespace {

// Closes the descriptor however the read ends.
struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

[[noreturn]] void cannot_open(const std::string& path, int err) {
    throw Error::bad_input(path, "cannot open the file: " + std::string(std::strerror(err)),
                           "check the path");
}

void require_regular(const struct stat& st, const std::string& path) {
    if (S_ISDIR(st.st_mode))
        throw Error::bad_input(path, "is a folder, not a file", "give the path of a file in it");
    if (!S_ISREG(st.st_mode))
        throw Error::bad_input(path, "is not a regular file (a FIFO, socket or device)",
                               "copy the data into an ordinary file and give its path");
}

[[noreturn]] void too_large(const std::string& path, const std::string& what, int64_t max_bytes) {
    throw Error::bad_input(path, what + " more than the limit of " + data::bytes_text(max_bytes),
                           "check the path: files this large are not supported");
}

// Opens a regular file without ever blocking: stat first, then O_NONBLOCK in case the path was
// swapped for a FIFO in between, then fstat what was actually opened.
int open_regular(const std::string& path, Fd& fd, int64_t& size) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) cannot_open(path, errno);
    require_regular(st, path);
    fd.fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd.fd < 0) cannot_open(path, errno);
    if (::fstat(fd.fd, &st) != 0) cannot_open(path, errno);
    require_regular(st, path);
    size = int64_t(st.st_size);
    return fd.fd;
}

// Reads to the end, at most max_bytes (a file may grow while it is read, or report size 0 as
// some /proc files do).
std::string read_all(int fd, int64_t size, int64_t max_bytes, const std::string& path) {
    std::string raw;
    raw.resize(size_t(size));
    size_t have = 0;
    for (;;) {
        if (have == raw.size()) {
            if (int64_t(raw.size()) > max_bytes) too_large(path, "the file holds", max_bytes);
            raw.resize(raw.size() + (size_t(1) << 16));
        }
        const ssize_t n = ::read(fd, raw.data() + have, raw.size() - have);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            throw Error::runtime(path, "reading failed: " + std::string(std::strerror(errno)));
        if (n == 0) break;
        have += size_t(n);
    }
    raw.resize(have);
    return raw;
}

// Ends the zlib stream however gunzip ends.
struct Inflater {
    z_stream zs{};
    ~Inflater() { inflateEnd(&zs); }
};

bool gzip_magic(const std::string& raw, size_t at) {
    return at + 1 < raw.size() && uint8_t(raw[at]) == 0x1f && uint8_t(raw[at + 1]) == 0x8b;
}

// Inflates every member of a (possibly multi-member, e.g. `cat a.gz b.gz`) gzip file, as gzip(1)
// does; a member that ends early or is corrupt is an error that names the file. The input is fed
// in pieces zlib's 32-bit counters can hold; the output is bounded (a zip bomb stops at the limit).
std::string gunzip(const std::string& raw, const std::string& path, int64_t max_bytes) {
    Inflater inf;
    z_stream& zs = inf.zs;
    if (inflateInit2(&zs, 15 + 32) != Z_OK) throw Error::runtime(path, "zlib failed to start");
    size_t fed = 0;
    std::string out;
    char buf[1 << 16];
    int rc = Z_OK;
    for (;;) {
        if (zs.avail_in == 0 && fed < raw.size()) {
            const size_t piece = std::min(raw.size() - fed, size_t(1) << 30);
            zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data() + fed));
            zs.avail_in = uInt(piece);
            fed += piece;
        }
        zs.next_out = reinterpret_cast<Bytef*>(buf);
        zs.avail_out = sizeof buf;
        rc = inflate(&zs, Z_NO_FLUSH);
        const size_t got = sizeof buf - zs.avail_out;
        if (int64_t(out.size() + got) > max_bytes) too_large(path, "unpacks to", max_bytes);
        out.append(buf, got);
        const bool input_left = zs.avail_in > 0 || fed < raw.size();
        if (rc == Z_STREAM_END && gzip_magic(raw, fed - zs.avail_in)) {
            inflateReset(&zs);  // another member follows
            rc = Z_OK;
            continue;
        }
        if (rc != Z_OK) break;
        if (!input_left && zs.avail_out != 0) break;  // input ended before the stream did
    }
    if (rc != Z_STREAM_END)
        throw Error::bad_input(path,
                               "the gzip data is truncated or corrupt (" +
                                   std::to_string(out.size()) + " bytes could be read)",
                               "download or copy the file again");
    return out;
}

}  // namespace

std::string read_file_maybe_gz(const std::string& path, int64_t max_bytes) {
    Fd fd;
    int64_t size = 0;
    open_regular(path, fd, size);
    if (size > max_bytes)
        too_large(path, "the file has " + std::to_string(size) + " bytes:", max_bytes);
    try {
        std::string raw = read_all(fd.fd, size, max_bytes, path);
        return gzip_magic(raw, 0) ? gunzip(raw, path, max_bytes) : raw;
    } catch (const std::bad_alloc&) {
        throw Error::runtime(path, "not enough memory to read the file",
                             "free memory or use a smaller file");
    }
}

}  // namespace hgq
