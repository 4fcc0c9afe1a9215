// SPDX-License-Identifier: GPL-3.0-or-later
// Studies that other programs damaged or are still creating (issue 14): a dropped table or
// column is named at open instead of failing later with raw SQL (or showing what is left); a
// run whose study is damaged under it ends `failed`, not "interrupted by a crash"; a reader
// racing the study's creation waits for its schema instead of calling it old.
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/error.h"
#include "jobs/run_job.h"
#include "store/study.h"

using namespace hgq;
using namespace hgq::store;

namespace {

// A stored run executed on its own connection, as a sweep worker runs it.
std::string execute_run(const std::string& path, int64_t run, const jobs::RunOptions& opt,
                        const jobs::RunHooks& hooks) {
    Study study(path, Study::Open::Existing);
    return jobs::run_job(study, run, opt, hooks);
}

nlohmann::json digits_config(int epochs) {
    std::ifstream in(std::string(HGQ_RESOURCES_DIR) + "/examples/digits_mlp.json");
    nlohmann::json j = nlohmann::json::parse(in);
    j["training"]["epochs"] = epochs;
    j["training"]["threads"] = 1;
    return j;
}

template <class F>
std::string error_of(F&& f, bool print = true) {
    try {
        f();
    } catch (const Error& e) {
        if (print) qInfo("error: %s", e.what());
        return e.what();
    }
    return {};
}

bool mentions(const std::string& text, std::initializer_list<const char*> words) {
    for (const char* w : words)
        if (text.find(w) == std::string::npos) return false;
    return true;
}

}  // namespace

class StoreDamageTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string file(const char* name) { return dir_.filePath(name).toStdString(); }

  private slots:
    void droppedTablesAndColumnsAreNamedAtOpen() {
        const std::string path = file("d.sqlite");
        for (const char* damage :
             {"DROP TABLE epochs", "DROP TABLE syntheses", "ALTER TABLE runs DROP COLUMN seed"}) {
            std::filesystem::remove(path);
            { Study(path, Study::Open::CreateIfMissing).create_sweep("s", {}); }
            { Db(path, Db::Mode::ReadWrite).exec(damage); }
            for (auto how : {Study::Open::ReadOnly, Study::Open::Existing}) {
                const std::string e = error_of([&] { Study(path, how); });
                QVERIFY2(mentions(e, {"d.sqlite", "damaged", "restore"}), e.c_str());
            }
        }
    }

    void aRunOnAStudyDamagedUnderItEndsFailed() {
        const std::string path = file("run.sqlite");
        int64_t run = 0;
        {
            Study s(path, Study::Open::CreateIfMissing);
            run =
                s.create_run(0, "digits", digits_config(200),
                             std::string(HGQ_RESOURCES_DIR) + "/examples/digits_mlp.json", 1, 200);
        }
        jobs::RunHooks ev;
        std::atomic<bool> dropped{false};
        ev.on_epoch = [&](int64_t, const EpochMetrics& m) {
            if (m.epoch == 3 && !dropped.exchange(true))
                Db(path, Db::Mode::ReadWrite).exec("DROP TABLE epochs");  // another program
        };
        jobs::RunOptions opt;
        opt.resources_dir = HGQ_RESOURCES_DIR;
        const std::string e = error_of([&] { execute_run(path, run, opt, ev); });
        QVERIFY2(mentions(e, {"run.sqlite", "damaged"}), e.c_str());
        Db raw(path, Db::Mode::ReadOnly);
        Stmt st(raw, "SELECT status, error FROM runs WHERE id = ?1");
        st.bind(1, run);
        QVERIFY(st.step());
        QCOMPARE(st.text(0), std::string("failed"));
        QVERIFY(st.text(1).find("damaged") != std::string::npos);
    }

    // Readers open a study while another connection creates it: each either finds no file yet
    // or reads the new study, never "needs an upgrade".
    void readersRacingCreationWaitForTheSchema() {
        for (int round = 0; round < 50; ++round) {
            const std::string path = file("race.sqlite");
            for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(path + s);
            std::thread creator([&] { Study(path, Study::Open::CreateIfMissing); });
            std::string e;
            for (;;) {
                e = error_of([&] { Study(path, Study::Open::ReadOnly).runs(); }, false);
                if (e.find("no such study") == std::string::npos) break;
            }
            creator.join();
            QVERIFY2(e.empty(), e.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(StoreDamageTest)
#include "test_store_damage.moc"
