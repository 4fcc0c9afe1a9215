// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/sqlite_db.h"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

#include <sqlite3.h>

#include "core/error.h"
#include "store/sqlite_locks.h"

namespace hgq::store {
namespace {

Error error_for(int rc, const std::string& path, std::string_view doing, const char* detail) {
    const std::string what = std::string(doing) + ": " + detail;
    // A table or column the schema check at open found, but gone now: the file was edited.
    const std::string_view d(detail);
    if ((rc & 0xff) == SQLITE_ERROR &&
        (d.find("no such table") != d.npos || d.find("no such column") != d.npos))
        return Error::bad_input(path, "the study is damaged (" + std::string(detail) + ")",
                                kDamagedHint);
    switch (rc & 0xff) {  // primary result code; extended codes refine it
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return Error::runtime(path, what,
                                  "another program holds the study's write lock for too long; "
                                  "wait for it or close it and try again");
        case SQLITE_FULL:
            return Error::runtime(path, what,
                                  "the disk is full; free space and run again (the study keeps "
                                  "everything committed before this step)");
        case SQLITE_READONLY:
        case SQLITE_PERM:
        case SQLITE_CANTOPEN:
            return Error::bad_input(path, what,
                                    "check that the file and its folder exist and are writable, "
                                    "or choose another --db path");
        case SQLITE_NOTADB:
        case SQLITE_CORRUPT:
            return Error::bad_input(path, what,
                                    "this is not an HGQ study or it is damaged; open another "
                                    "file or restore it from a copy");
        case SQLITE_IOERR:
            return Error::runtime(path, what, "the disk reported an I/O error; check the device");
        default:
            return Error::runtime(path, what);
    }
}

// "file:" URI of a path, percent-encoding what a URI reserves.
std::string file_uri(const std::string& path) {
    std::string uri = "file:";
    for (unsigned char c : path) {
        if (std::isalnum(c) || std::strchr("/-._~", c)) {
            uri += char(c);
        } else {
            char hex[4];
            std::snprintf(hex, sizeof hex, "%%%02X", c);
            uri += hex;
        }
    }
    return uri;
}

}  // namespace

Db::Db(const std::string& path, Mode mode) : path_(path) {
    use_study_safe_locks();  // before the first file is opened: locks nothing else can drop
    int flags = SQLITE_OPEN_NOMUTEX;  // one connection per thread: no shared handles
    std::string name = path;
    if (mode == Mode::ReadOnly) flags |= SQLITE_OPEN_READONLY;
    if (mode == Mode::ReadOnlyImmutable) {
        flags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
        name = file_uri(path) + "?immutable=1";
    }
    if (mode == Mode::ReadWrite) flags |= SQLITE_OPEN_READWRITE;
    if (mode == Mode::ReadWriteCreate) flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    const int rc = sqlite3_open_v2(name.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        const std::string detail = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw error_for(rc, path, "cannot open the study", detail.c_str());
    }
    sqlite3_extended_result_codes(db_, 1);
    // Writers queue for up to 30 s instead of failing with "database is locked".
    sqlite3_busy_timeout(db_, 30000);
}

Db::~Db() {
    sqlite3_close_v2(db_);
}

void Db::fail(int rc, std::string_view doing) const {
    throw error_for(rc, path_, doing, sqlite3_errmsg(db_));
}

void Db::exec(std::string_view sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &err);
    if (rc == SQLITE_OK) return;
    const std::string detail = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw error_for(rc, path_, "SQL '" + std::string(sql.substr(0, 60)) + "'", detail.c_str());
}

// SQLite answers some lock conflicts with SQLITE_BUSY at once, without the busy handler —
// switching a file to WAL while another process commits its first transactions is one.
void Db::exec_retrying(std::string_view sql, int timeout_ms) {
    const std::string text(sql);
    for (int waited = 0;; waited += 20) {
        char* err = nullptr;
        const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
        if (rc == SQLITE_OK) return;
        const std::string detail = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        if ((rc & 0xff) != SQLITE_BUSY || waited >= timeout_ms)
            throw error_for(rc, path_, "SQL '" + text.substr(0, 60) + "'", detail.c_str());
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

int64_t Db::pragma_int(const std::string& name) {
    Stmt s(*this, "PRAGMA " + name);
    return s.step() ? s.int64(0) : 0;
}

int64_t Db::last_insert_id() const {
    return sqlite3_last_insert_rowid(db_);
}
int Db::changes() const {
    return sqlite3_changes(db_);
}

Stmt::Stmt(Db& db, std::string_view sql) : db_(db) {
    const int rc = sqlite3_prepare_v3(db.handle(), sql.data(), int(sql.size()), 0, &st_, nullptr);
    if (rc != SQLITE_OK) db.fail(rc, "preparing '" + std::string(sql.substr(0, 60)) + "'");
}

Stmt::~Stmt() {
    sqlite3_finalize(st_);
}

namespace {
void check_bind(Db& db, int rc) {
    if (rc != SQLITE_OK) db.fail(rc, "binding a statement parameter");
}
}  // namespace

Stmt& Stmt::bind(int i, int64_t v) {
    check_bind(db_, sqlite3_bind_int64(st_, i, v));
    return *this;
}
Stmt& Stmt::bind(int i, double v) {
    check_bind(db_, sqlite3_bind_double(st_, i, v));
    return *this;
}
Stmt& Stmt::bind(int i, std::string_view text) {
    check_bind(db_, sqlite3_bind_text(st_, i, text.data(), int(text.size()), SQLITE_TRANSIENT));
    return *this;
}
Stmt& Stmt::bind_blob(int i, std::string_view bytes) {
    check_bind(db_, sqlite3_bind_blob64(st_, i, bytes.data(), bytes.size(), SQLITE_TRANSIENT));
    return *this;
}
Stmt& Stmt::bind_null(int i) {
    check_bind(db_, sqlite3_bind_null(st_, i));
    return *this;
}

bool Stmt::step() {
    const int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    const char* sql = sqlite3_sql(st_);
    db_.fail(rc, "running '" + std::string(sql ? std::string_view(sql).substr(0, 60) : "") + "'");
}

void Stmt::run() {
    while (step()) {
    }
    reset();
}

void Stmt::reset() {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
}

int64_t Stmt::int64(int col) const {
    return sqlite3_column_int64(st_, col);
}
double Stmt::real(int col) const {
    return sqlite3_column_double(st_, col);
}
bool Stmt::is_null(int col) const {
    return sqlite3_column_type(st_, col) == SQLITE_NULL;
}

std::string Stmt::text(int col) const {
    const auto* p = sqlite3_column_text(st_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), size_t(sqlite3_column_bytes(st_, col)))
             : std::string();
}

std::string Stmt::blob(int col) const {
    const void* p = sqlite3_column_blob(st_, col);
    return p ? std::string(static_cast<const char*>(p), size_t(sqlite3_column_bytes(st_, col)))
             : std::string();
}

Transaction::Transaction(Db& db) : db_(db) {
    db_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
    if (done_) return;
    try {
        db_.exec("ROLLBACK");
    } catch (...) {  // already rolled back by SQLite (e.g. after SQLITE_FULL): nothing to undo
    }
}

void Transaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
}

}  // namespace hgq::store
