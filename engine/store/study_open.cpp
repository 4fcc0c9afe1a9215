// SPDX-License-Identifier: GPL-3.0-or-later
// Opening a study: the file checks that give a clear message before SQLite gives a cryptic one
// (a folder, a FIFO, a read-only file or folder), the application id that tells a study from any
// other SQLite file, the schema check, and the pragmas and migrations of a writable open.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "core/error.h"
#include "store/study.h"

namespace hgq::store {
namespace fs = std::filesystem;
namespace {

bool writable(const fs::path& p) {
    return ::access(p.c_str(), W_OK) == 0;
}

std::string folder_of(const std::string& path) {
    const fs::path parent = fs::path(path).parent_path();
    return parent.empty() ? "." : parent.string();
}

// What the path is, before SQLite touches it: a folder, a device or a FIFO (which would block
// the open) is no study.
void check_path(const std::string& path, Study::Open how) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (how != Study::Open::CreateIfMissing)
            throw Error::bad_input(path, "no such study", "check the path or pass --db");
        return;
    }
    if (S_ISDIR(st.st_mode))
        throw Error::bad_input(path, "is a folder, not a study file", "name a .sqlite file");
    if (!S_ISREG(st.st_mode))
        throw Error::bad_input(path, "is not a regular file (a device, FIFO or socket)",
                               "name a .sqlite study file");
}

// A writer needs the file, and the folder for the -wal and -shm files SQLite keeps beside it.
void check_writable(const std::string& path) {
    const std::string folder = folder_of(path);
    if (fs::exists(path) && !writable(path))
        throw Error::bad_input(path, "the study is read-only (the file is not writable)",
                               "copy it somewhere writable; hgq runs, pareto and inspect can "
                               "read it as it is");
    const bool sidecars = fs::exists(path + "-wal") && fs::exists(path + "-shm");
    if (!writable(folder) && !(fs::exists(path) && sidecars && writable(path + "-wal")))
        throw Error::bad_input(path,
                               "its folder " + folder +
                                   " is not writable (a study writes its -wal and -shm files "
                                   "there)",
                               "make the folder writable or copy the study somewhere writable");
}

// Readable without writing anything, from any folder: a read-only folder without a -wal means
// nobody can be writing this study, so it is read as an immutable file (SQLite could not create
// the -shm index there).
bool read_only_folder_without_wal(const std::string& path) {
    return !writable(folder_of(path)) && !fs::exists(path + "-wal");
}

}  // namespace

bool study_is_writable(const std::string& path) {
    try {
        check_writable(path);
        return true;
    } catch (const Error&) {
        return false;
    }
}

Study::Study(const std::string& path, Open how) {
    check_path(path, how);
    if (how != Open::ReadOnly) check_writable(path);
    const bool immutable = how == Open::ReadOnly && read_only_folder_without_wal(path);
    db_ = std::make_unique<Db>(path, immutable               ? Db::Mode::ReadOnlyImmutable
                                     : how == Open::ReadOnly ? Db::Mode::ReadOnly
                                     : how == Open::Existing ? Db::Mode::ReadWrite
                                                             : Db::Mode::ReadWriteCreate);
    int64_t version = read_header(how == Open::ReadOnly);
    db_->exec("PRAGMA foreign_keys = ON");
    if (how == Open::ReadOnly) {
        // Version 1 lacks only the syntheses table: readable as it is (syntheses() is empty).
        check_schema(*db_, version);
        schema_version_ = version;
        return;
    }
    // Persistent: readers never block the writer. Another process creating the same file may
    // hold it for a moment (SQLite does not wait by itself here).
    db_->exec_retrying("PRAGMA journal_mode = WAL", 30000);
    // NORMAL in WAL mode: a power cut may lose the last commits, never corrupt the file.
    db_->exec("PRAGMA synchronous = NORMAL");
    check_schema(*db_, version);
    migrate();
    // Runs left `running` by a process that is gone become `interrupted`: done here, on every
    // writable open, so no caller can forget it.
    mark_orphans_interrupted();
}

// The application id and schema version; a reader of a study another process is creating
// right now waits for its schema (a few milliseconds) rather than calling it foreign or old.
int64_t Study::read_header(bool reader) {
    const std::string& path = db_->path();
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::seconds(3);
    for (;;) {
        // Tables before the header fields: once tables are seen, the creator's application id
        // is committed too, while the reverse order can see the id still unset and then the
        // tables. Reading page 1 also detects a file that is not SQLite at all (SQLITE_NOTADB).
        const bool empty = [&] {
            Stmt s(*db_, "SELECT COUNT(*) FROM sqlite_schema");
            return s.step() && s.int64(0) == 0;
        }();
        const int64_t app = db_->pragma_int("application_id");
        const int64_t version = db_->pragma_int("user_version");
        if (!empty && app != kApplicationId)
            throw Error::bad_input(path, "is an SQLite database but not an HGQ study",
                                   "open a study file written by HGQ Studio or choose a new name");
        if (version > kSchemaVersion)
            throw Error::bad_input(path,
                                   "study schema version " + std::to_string(version) +
                                       " is newer than this HGQ Studio understands (" +
                                       std::to_string(kSchemaVersion) + ")",
                                   "upgrade HGQ Studio to open it");
        if (!reader || version >= 1) return version;
        if (!empty || Clock::now() > deadline)
            throw Error::bad_input(path,
                                   empty ? "is empty: no study has been written to it yet"
                                         : "the study needs an upgrade but is opened read-only",
                                   empty ? "train into it first (hgq train CONFIG --db FILE)"
                                         : "open it once with write access (hgq runs --db FILE)");
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

}  // namespace hgq::store
