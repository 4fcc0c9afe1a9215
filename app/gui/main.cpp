// SPDX-License-Identifier: GPL-3.0-or-later
// hgq-studio [STUDY.sqlite]: the desktop explorer. Without a study it opens the one in the
// user's data folder (XDG), creating it on first use.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QStandardPaths>

#include "main_window.h"
#include "resources_dir.h"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("hgq-studio");
    QApplication::setOrganizationName("hgq-studio");
    QApplication::setApplicationVersion(HGQ_VERSION);
    // Lets Wayland shells match the window to the installed .desktop entry and its icon.
    QGuiApplication::setDesktopFileName("org.hgqstudio.HGQStudio");
    QCommandLineParser cli;
    cli.setApplicationDescription("HGQ Studio: High Granularity Quantization explorer");
    cli.addHelpOption();
    cli.addVersionOption();
    cli.addPositionalArgument("study", "Study file to open or create (.sqlite)");
    cli.process(app);
    QString study = cli.positionalArguments().value(0);
    if (study.isEmpty()) {
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        QDir().mkpath(dir);
        study = dir + "/hgq-study.sqlite";
    }
    hgq::gui::MainWindow w(study, hgq::gui::resources_dir());
    w.show();
    return app.exec();
}
