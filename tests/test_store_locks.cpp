// SPDX-License-Identifier: GPL-3.0-or-later
// A study's SQLite locks survive any other descriptor of its files being closed in the process
// (store/sqlite_locks.h). Seen from a classic POSIX lock query, as another SQLite process sees
// them: the connection's SHARED lock on the database and its read lock on the -shm's "dead man
// switch" byte must still be there after a stray open/close of each file, and gone once the
// study is closed.
#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <unistd.h>

#include "store/sqlite_db.h"
#include "store/sqlite_locks.h"
#include "store/study.h"

using namespace hgq;

namespace {

// SQLite's lock bytes (os_unix.c): the SHARED range of the database file starts 2 bytes after
// the PENDING byte at 1 GiB and spans 510 bytes; the -shm's DMS byte is at 128.
constexpr off_t kSharedFirst = 0x40000000 + 2;
constexpr off_t kSharedSize = 510;
constexpr off_t kShmDms = 128;

// The lock type that blocks a write lock on [start, start+len) of `path`: F_UNLCK if none.
// Classic F_GETLK ignores this process's own classic locks but reports its OFD locks, so this
// sees the study's locks exactly as another process would.
int blocking_lock(const std::string& path, off_t start, off_t len) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) return -1;
    struct flock lk {};
    lk.l_type = F_WRLCK;
    lk.l_whence = SEEK_SET;
    lk.l_start = start;
    lk.l_len = len;
    const int rc = ::fcntl(fd, F_GETLK, &lk);
    ::close(fd);  // itself a stray close of the study's file
    return rc == 0 ? lk.l_type : -1;
}

void stray_open_close(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    QVERIFY2(fd >= 0, path.c_str());
    char buf[64];
    QVERIFY(::read(fd, buf, sizeof buf) >= 0);
    ::close(fd);
}

}  // namespace

class StoreLocksTest : public QObject {
    Q_OBJECT
  private slots:
    void locksSurviveStrayCloses() {
        QVERIFY(store::use_study_safe_locks());
        QTemporaryDir dir;
        const std::string path = dir.filePath("s.sqlite").toStdString();
        {
            store::Study study(path, store::Study::Open::CreateIfMissing);
            study.create_sweep("s", nlohmann::json::object());
            QCOMPARE(study.sweeps().size(), size_t(1));  // a read: SHARED held (WAL mode)
            for (const char* suffix : {"", "-wal", "-shm"}) stray_open_close(path + suffix);
            QCOMPARE(blocking_lock(path, kSharedFirst, kSharedSize), int(F_RDLCK));
            QCOMPARE(blocking_lock(path + "-shm", kShmDms, 1), int(F_RDLCK));
            // A second connection of the process shares the first one's locks.
            store::Study reader(path, store::Study::Open::ReadOnly);
            QCOMPARE(reader.sweeps().size(), size_t(1));
            QCOMPARE(store::study_lock_descriptors(), 2);  // the database and its -shm
            QCOMPARE(blocking_lock(path, kSharedFirst, kSharedSize), int(F_RDLCK));
        }
        // Closed: nothing of the study stays locked or open.
        QCOMPARE(blocking_lock(path, kSharedFirst, kSharedSize), int(F_UNLCK));
        QCOMPARE(store::study_lock_descriptors(), 0);
        QVERIFY(!QFileInfo::exists(QString::fromStdString(path + "-wal")));
    }

    // The WAL write lock (the -shm's byte 120) is what keeps two writers apart: taken at BEGIN
    // IMMEDIATE, visible to other processes, released at COMMIT.
    void theWriteLockIsVisibleToOtherProcesses() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("s.sqlite").toStdString();
        store::Study study(path, store::Study::Open::CreateIfMissing);
        constexpr off_t kWalWriteLock = 120;
        QCOMPARE(blocking_lock(path + "-shm", kWalWriteLock, 1), int(F_UNLCK));
        {
            store::Transaction t(study.db());
            study.db().exec("INSERT INTO sweeps (name, created, spec) VALUES ('s', '', '{}')");
            stray_open_close(path + "-shm");
            QCOMPARE(blocking_lock(path + "-shm", kWalWriteLock, 1), int(F_WRLCK));
            t.commit();
        }
        QCOMPARE(blocking_lock(path + "-shm", kWalWriteLock, 1), int(F_UNLCK));
        QCOMPARE(study.sweeps().size(), size_t(1));
    }
};

QTEST_GUILESS_MAIN(StoreLocksTest)
#include "test_store_locks.moc"
