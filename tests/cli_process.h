// SPDX-License-Identifier: GPL-3.0-or-later
// Running the real hgq binary (and the tools it calls) from the end-to-end tests: the source
// tree's resources on HGQ_RESOURCES, stdout and stderr captured apart.
#pragma once
#include <QProcess>
#include <QString>
#include <QStringList>

namespace cli_test {

struct CliRun {
    int code = -1;  // -1: crashed or timed out
    QString out, err;
};

inline QProcessEnvironment cli_environment() {
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert("HGQ_RESOURCES", HGQ_RESOURCES_DIR);
    return env;
}

inline CliRun run_program(const QString& program, const QStringList& args, int timeout_ms,
                          const QProcessEnvironment& env = cli_environment(),
                          const QString& cwd = {}) {
    QProcess p;
    p.setProcessEnvironment(env);
    if (!cwd.isEmpty()) p.setWorkingDirectory(cwd);
    p.start(program, args);
    if (!p.waitForFinished(timeout_ms)) {  // still running (or never started): not a success
        p.kill();
        p.waitForFinished();
        return {-1, QString::fromUtf8(p.readAllStandardOutput()),
                "timed out after " + QString::number(timeout_ms) + " ms\n" +
                    QString::fromUtf8(p.readAllStandardError())};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

// Started, not waited for: for tests that watch a run's output or kill it.
inline QProcess* start_hgq(const QStringList& args, QObject* parent) {
    auto* p = new QProcess(parent);
    p->setProcessEnvironment(cli_environment());
    p->start(HGQ_CLI, args);
    return p;
}

}  // namespace cli_test
