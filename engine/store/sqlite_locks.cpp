// SPDX-License-Identifier: GPL-3.0-or-later
// OFD locks for SQLite's unix VFS, through its documented system-call override
// (sqlite3_vfs::xSetSystemCall for "fcntl" and "close"). Why: see sqlite_locks.h.
#include "store/sqlite_locks.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdarg>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include <sqlite3.h>

namespace hgq::store {
namespace {

using FcntlFn = int (*)(int, int, ...);
using CloseFn = int (*)(int);

FcntlFn g_fcntl = nullptr;  // SQLite's own choices before ours: libc's fcntl and close
CloseFn g_close = nullptr;

using FileKey = std::pair<dev_t, ino_t>;

// One owned descriptor per locked file; every lock of the process on that file is taken on it.
// The mutex is held around each lock call too, so an owned descriptor is never closed (and its
// number reused) between being looked up and being used.
std::mutex g_mu;
std::map<FileKey, int> g_owned;

bool file_key(int fd, FileKey& key) {
    struct stat st {};
    if (fstat(fd, &st) != 0) return false;
    key = {st.st_dev, st.st_ino};
    return true;
}

// A new open file description of fd's file, read-write where allowed (so write locks work
// whatever mode the first locking connection opened the file in), else a duplicate.
int open_owned(int fd) {
    const std::string self = "/proc/self/fd/" + std::to_string(fd);
    int owned = ::open(self.c_str(), O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (owned < 0) owned = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    return owned;
}

// The lock request `cmd` (F_GETLK, F_SETLK, F_SETLKW) of SQLite on fd, as an OFD lock.
int ofd_lock(int fd, int cmd, struct flock* lk) {
    FileKey key;
    if (!file_key(fd, key)) return -1;
    struct flock ofd = *lk;
    ofd.l_pid = 0;  // required by F_OFD_*
    const int ofd_cmd = cmd == F_GETLK ? F_OFD_GETLK : F_OFD_SETLK;
    for (;;) {
        int rc = -1, err = 0;
        {
            std::lock_guard<std::mutex> guard(g_mu);
            auto it = g_owned.find(key);
            if (it == g_owned.end()) {
                const int owned = open_owned(fd);
                if (owned < 0) return -1;
                it = g_owned.emplace(key, owned).first;
            }
            rc = ::fcntl(it->second, ofd_cmd, &ofd);
            err = errno;
        }
        if (rc == 0 && cmd == F_GETLK) *lk = ofd;
        // F_SETLKW waits, but never while holding the mutex: poll instead. (Debian's SQLite is
        // built without SQLITE_ENABLE_SETLK_TIMEOUT and never asks for it.)
        if (rc == 0 || cmd != F_SETLKW || (err != EAGAIN && err != EACCES)) {
            errno = err;
            return rc;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

int study_fcntl(int fd, int cmd, ...) {
    va_list ap;
    va_start(ap, cmd);
    int rc = 0;
    switch (cmd) {
        case F_GETLK:
        case F_SETLK:
        case F_SETLKW:
            rc = ofd_lock(fd, cmd, va_arg(ap, struct flock*));
            break;
        case F_GETFD:
        case F_GETFL:
            rc = g_fcntl(fd, cmd);
            break;
        case F_DUPFD:
        case F_DUPFD_CLOEXEC:
        case F_SETFD:
        case F_SETFL:
            rc = g_fcntl(fd, cmd, va_arg(ap, int));
            break;
        default:
            rc = g_fcntl(fd, cmd, va_arg(ap, void*));
            break;
    }
    va_end(ap);
    return rc;
}

// SQLite closes a descriptor of a file only when it holds no lock on that file; a POSIX close
// would then drop the process's locks there, so the owned descriptor goes too.
int study_close(int fd) {
    FileKey key;
    if (file_key(fd, key)) {
        std::lock_guard<std::mutex> guard(g_mu);
        if (auto it = g_owned.find(key); it != g_owned.end()) {
            g_close(it->second);
            g_owned.erase(it);
        }
    }
    return g_close(fd);
}

bool kernel_has_ofd_locks() {
    const int fd = memfd_create("hgq-ofd-probe", MFD_CLOEXEC);
    if (fd < 0) return false;
    struct flock lk {};
    lk.l_type = F_WRLCK;
    lk.l_whence = SEEK_SET;
    const bool ok = ::fcntl(fd, F_OFD_GETLK, &lk) == 0;
    ::close(fd);
    return ok;
}

bool install() {
    if (sqlite3_initialize() != SQLITE_OK || !kernel_has_ofd_locks()) return false;
    sqlite3_vfs* vfs = sqlite3_vfs_find(nullptr);
    if (!vfs || vfs->iVersion < 3 || !vfs->xSetSystemCall || std::strncmp(vfs->zName, "unix", 4))
        return false;
    g_fcntl = reinterpret_cast<FcntlFn>(vfs->xGetSystemCall(vfs, "fcntl"));
    g_close = reinterpret_cast<CloseFn>(vfs->xGetSystemCall(vfs, "close"));
    if (!g_fcntl || !g_close) return false;
    if (vfs->xSetSystemCall(vfs, "fcntl", reinterpret_cast<sqlite3_syscall_ptr>(&study_fcntl)))
        return false;
    if (vfs->xSetSystemCall(vfs, "close", reinterpret_cast<sqlite3_syscall_ptr>(&study_close))) {
        vfs->xSetSystemCall(vfs, "fcntl", reinterpret_cast<sqlite3_syscall_ptr>(g_fcntl));
        return false;
    }
    return true;
}

}  // namespace

bool use_study_safe_locks() {
    static const bool installed = install();
    return installed;
}

int study_lock_descriptors() {
    std::lock_guard<std::mutex> guard(g_mu);
    return int(g_owned.size());
}

}  // namespace hgq::store
