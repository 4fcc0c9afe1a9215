// SPDX-License-Identifier: GPL-3.0-or-later
// Files the user names as outputs (CSV, JSON summaries): never written over something they did
// not mean to lose, never left half-written.
#pragma once
#include <string>
#include <vector>

namespace hgq {

// Refuses (hgq::Error naming `path`) a folder, any of `never` (the same file under any name:
// the study being read, its -wal and -shm), and an existing file unless `force`.
void check_output_file(const std::string& path, bool force, const std::vector<std::string>& never);

// True if `a` and `b` name the same existing file (links and relative paths included).
bool same_file(const std::string& a, const std::string& b);

// Writes `text` to a temporary file beside `path`, syncs it, and renames it into place: a
// failure (disk full, killed) leaves any earlier file untouched and no partial file behind.
void write_file_atomic(const std::string& path, const std::string& text);

// Copies file `from` to `to` the same way: a reader of `to` sees the old file or the whole new
// one, never part of it (a published snapshot on a shared file system).
void copy_file_atomic(const std::string& from, const std::string& to);

}  // namespace hgq
