// SPDX-License-Identifier: GPL-3.0-or-later
// A small RAII layer over the sqlite3 C API: one connection (Db), prepared statements (Stmt) and
// transactions (Transaction). Every failure becomes an hgq::Error naming the study file, the
// statement's table where known, and a hint; nothing here formats SQL from user values.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace hgq::store {

// What to do about a study whose tables or columns are gone (edited by another program).
inline constexpr const char* kDamagedHint =
    "restore the study from a copy: another program removed a table or column HGQ Studio needs";

class Db;

class Stmt {
  public:
    Stmt(Db& db, std::string_view sql);
    ~Stmt();
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    // Parameters are 1-based, as in SQL's ?1, ?2, ...
    Stmt& bind(int i, int64_t v);
    Stmt& bind(int i, int v) { return bind(i, int64_t(v)); }
    Stmt& bind(int i, double v);
    Stmt& bind(int i, std::string_view text);
    Stmt& bind(int i, const char* text) { return bind(i, std::string_view(text)); }
    Stmt& bind_blob(int i, std::string_view bytes);
    Stmt& bind_null(int i);
    Stmt& bind(int i, const std::optional<double>& v) { return v ? bind(i, *v) : bind_null(i); }

    bool step();  // true while a row is available
    void run();   // steps a statement that returns no rows
    void reset();

    int64_t int64(int col) const;
    double real(int col) const;
    std::string text(int col) const;
    std::string blob(int col) const;
    bool is_null(int col) const;

  private:
    Db& db_;
    sqlite3_stmt* st_ = nullptr;
};

class Db {
  public:
    // ReadOnlyImmutable: a study nobody can be writing (a read-only folder without a -wal), read
    // without SQLite's shared-memory index, which could not be created there.
    enum class Mode { ReadWriteCreate, ReadWrite, ReadOnly, ReadOnlyImmutable };
    Db(const std::string& path, Mode mode);
    ~Db();
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    void exec(std::string_view sql);  // statements without parameters (schema, pragmas)
    // exec, retried for up to timeout_ms while SQLite reports the file busy.
    void exec_retrying(std::string_view sql, int timeout_ms);
    int64_t pragma_int(const std::string& name);
    int64_t last_insert_id() const;
    int changes() const;
    const std::string& path() const { return path_; }
    sqlite3* handle() { return db_; }

    // Throws the Error that fits SQLite result `rc` (locked, full, read-only, corrupt, ...).
    [[noreturn]] void fail(int rc, std::string_view doing) const;

  private:
    sqlite3* db_ = nullptr;
    std::string path_;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back when destroyed uncommitted (an exception unwinding).
// IMMEDIATE takes the write lock up front, so two writers wait (busy timeout) instead of
// deadlocking on a lock upgrade.
class Transaction {
  public:
    explicit Transaction(Db& db);
    ~Transaction();
    void commit();

  private:
    Db& db_;
    bool done_ = false;
};

}  // namespace hgq::store
