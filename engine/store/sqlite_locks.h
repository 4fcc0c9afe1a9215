// SPDX-License-Identifier: GPL-3.0-or-later
// Study locks that no other code in the process can drop.
//
// SQLite's unix VFS locks files with POSIX advisory locks (fcntl F_SETLK). Those belong to the
// process, and the kernel drops all of them on a file when the process closes *any* descriptor
// of it — SQLite's documented hazard. A Qt file dialog does exactly that: its file-type and icon
// lookup (QMimeDatabase content sniffing) opens and closes the study, its -wal and its -shm. The
// process then holds no lock while its connections are open; the next `hgq runs` that closes
// finds itself alone, checkpoints and deletes the -wal and -shm under the app's feet, and the
// app's connections go on with an unlinked shared-memory index ("file is not a database").
//
// The fix at the root: every lock SQLite takes in this process becomes an open-file-description
// lock (Linux F_OFD_SETLK), held on one descriptor per file that only this module owns. OFD locks
// are released only when that descriptor is closed, so another descriptor's close() leaves them
// alone. They conflict with classic POSIX locks and with OFD locks of other processes exactly as
// SQLite expects, so `hgq`, the app and other SQLite programs still exclude each other. One
// descriptor per file (not per connection) keeps the process-wide lock ownership that SQLite's
// VFS is written for; when SQLite itself closes a descriptor of the file (which it only does when
// it holds no lock there), the owned descriptor is closed too, as a POSIX close would have done.
#pragma once

namespace hgq::store {

// Installs the OFD lock mapping into SQLite's unix VFS once per process, before the first study
// is opened (Db does it). Returns false where the kernel has no OFD locks (then SQLite keeps its
// classic locks).
bool use_study_safe_locks();

// Owned lock descriptors open right now (one per locked file): for tests.
int study_lock_descriptors();

}  // namespace hgq::store
