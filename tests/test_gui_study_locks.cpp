// SPDX-License-Identifier: GPL-3.0-or-later
// The app keeps its study's SQLite locks whatever else in the process opens the study file.
// A Qt file dialog sniffs every file it lists (QMimeDatabase reads the study, its -wal and its
// -shm to name their types) and closes them again; with classic POSIX locks that close dropped
// all of the app's locks, and the next `hgq` process to close the study deleted its -wal and
// -shm under the running app. This test goes through the same paths a file dialog does, then has
// other processes read and write the study while the app keeps training, and checks that nothing
// was lost: WAL kept, no error, every epoch stored, integrity_check ok.
#include <QApplication>
#include <QComboBox>
#include <QFileDialog>
#include <QFileIconProvider>
#include <QFileSystemModel>
#include <QLineEdit>
#include <QMessageBox>
#include <QMimeDatabase>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QSettings>
#include <QtTest>

#include "cli_process.h"
#include "main_window.h"
#include "run_table_model.h"
#include "store/sqlite_locks.h"
#include "store/study.h"
#include "sweep_runner.h"
#include "sweep_setup.h"

using namespace hgq;

namespace {

// Closes any message box the app raises (a test must not hang on a modal dialog) and keeps its
// text: an error the user would have seen.
struct MessageCatcher {
    QTimer timer;
    QStringList seen;
    MessageCatcher() {
        timer.setInterval(50);
        QObject::connect(&timer, &QTimer::timeout, [this] {
            if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
                seen << box->text();
                box->reject();
            }
        });
        timer.start();
    }
};

bool exists(const QString& path) {
    return QFileInfo::exists(path);
}

}  // namespace

class StudyLocksTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<gui::MainWindow> w_;
    QString study_;

    void configure(int epochs, int runs, int parallel) {
        gui::SweepSetup* s = w_->setup();
        s->presetBox()->setCurrentIndex(s->presetBox()->findText("digits_mlp"));
        s->loadConfig(s->presetBox()->currentData().toString());
        s->epochsBox()->setValue(epochs);
        s->runsBox()->setValue(runs);
        s->parallelBox()->setValue(parallel);
        QVERIFY2(s->valid(), qPrintable(s->error()));
    }

    // What QFileDialog does to every file it lists, done three ways: the real dialog (shown on
    // the study's folder until its model has loaded, then cancelled), its model's icon and type
    // lookups, and the MIME sniffing those rest on.
    void touchStudyLikeAFileDialog() {
        const QString folder = QFileInfo(study_).absolutePath();
        QTimer::singleShot(0, [] {
            auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            auto* model = dialog->findChild<QFileSystemModel*>();
            QVERIFY(model);
            QTRY_VERIFY(model->rowCount(model->index(model->rootPath())) >= 3);
            QTest::qWait(500);  // the gatherer thread fetches icons and types after the names
            dialog->reject();
        });
        const QString picked =
            QFileDialog::getOpenFileName(w_.get(), "Open study", folder, "All files (*)", nullptr,
                                         QFileDialog::DontUseNativeDialog);
        QVERIFY(picked.isEmpty());

        QFileSystemModel model;
        QFileIconProvider icons;
        model.setIconProvider(&icons);
        QSignalSpy loaded(&model, &QFileSystemModel::directoryLoaded);
        const QModelIndex root = model.setRootPath(folder);
        QVERIFY(loaded.wait(5000));
        QMimeDatabase mime;
        for (const char* suffix : {"", "-wal", "-shm"}) {
            const QFileInfo info(study_ + suffix);
            QVERIFY2(info.exists(), qPrintable(info.filePath()));
            icons.icon(info);
            icons.type(info);
            mime.mimeTypeForFile(info, QMimeDatabase::MatchContent);
            QFile f(info.filePath());  // a plain open and close, as any library might
            QVERIFY(f.open(QIODevice::ReadOnly));
            f.read(100);
        }
        for (int r = 0; r < model.rowCount(root); ++r) model.fileIcon(model.index(r, 0, root));
    }

  private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName("hgq-studio-test");
        QSettings().clear();  // a fresh user: no saved layout or sweep form
        QVERIFY(store::use_study_safe_locks());
        study_ = dir_.filePath("study.sqlite");
        w_ = std::make_unique<gui::MainWindow>(study_, HGQ_RESOURCES_DIR);
        w_->resize(1400, 900);
        w_->show();
        QVERIFY(QTest::qWaitForWindowExposed(w_.get()));
    }

    void theAppKeepsItsLocksThroughDialogsAndOtherProcesses() {
        MessageCatcher messages;
        QSignalSpy done(w_.get(), &gui::MainWindow::sweepFinished);
        // A first short sweep: the study has runs, a WAL and a shared-memory index.
        configure(20, 1, 1);
        QTest::mouseClick(w_->setup()->startButton(), Qt::LeftButton);
        QVERIFY(done.wait(60000));
        QVERIFY(exists(study_ + "-wal") && exists(study_ + "-shm"));

        touchStudyLikeAFileDialog();
        QVERIFY(exists(study_ + "-wal") && exists(study_ + "-shm"));

        // The app trains again; meanwhile a reader and a second writer come and go.
        configure(600, 2, 2);
        QTest::mouseClick(w_->setup()->startButton(), Qt::LeftButton);
        QVERIFY(w_->runner()->running());
        const auto runs = cli_test::run_program(HGQ_CLI, {"runs", "--db", study_}, 60000);
        QCOMPARE(runs.code, 0);
        QVERIFY2(exists(study_ + "-wal"), "hgq runs deleted the WAL of a study the app holds");
        QVERIFY(exists(study_ + "-shm"));
        const auto writer = cli_test::run_program(
            HGQ_CLI,
            {"train", QString(HGQ_RESOURCES_DIR) + "/examples/digits_mlp.json", "--epochs", "40",
             "--threads", "1", "--db", study_},
            120000);
        QVERIFY2(writer.code == 0, qPrintable(writer.err));
        QVERIFY(exists(study_ + "-wal"));
        QVERIFY(done.wait(120000));
        QCOMPARE(done.takeLast().at(0).toStringList(), QStringList({"done", "done"}));
        // Once more after the app's runs ended: the reader's close must leave the WAL alone.
        QCOMPARE(cli_test::run_program(HGQ_CLI, {"runs", "--db", study_}, 60000).code, 0);
        QVERIFY(exists(study_ + "-wal"));
        QVERIFY2(messages.seen.isEmpty(), qPrintable(messages.seen.join("\n")));

        // Every epoch of every run is stored, the app shows every run, the file is sound.
        w_->refresh();
        QCOMPARE(w_->runModel()->rowCount(), 4);
        store::Study check(study_.toStdString(), store::Study::Open::ReadOnly);
        for (const auto& r : check.runs()) {
            QCOMPARE(r.status, std::string("done"));
            QCOMPARE(int(check.epochs(r.id).size()), r.epochs_planned);
            QCOMPARE(r.epochs_done, r.epochs_planned);
            QVERIFY(!check.points(r.id, false).empty());
        }
        store::Stmt integrity(check.db(), "PRAGMA integrity_check");
        QVERIFY(integrity.step());
        QCOMPARE(integrity.text(0), std::string("ok"));
        qInfo("4 runs, every epoch stored; WAL kept; integrity_check ok; %d lock descriptors",
              store::study_lock_descriptors());
    }

    void cleanupTestCase() { w_.reset(); }
};

QTEST_MAIN(StudyLocksTest)
#include "test_gui_study_locks.moc"
