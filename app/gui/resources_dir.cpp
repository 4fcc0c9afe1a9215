// SPDX-License-Identifier: GPL-3.0-or-later
#include "resources_dir.h"

#include <QCoreApplication>
#include <QDir>

namespace hgq::gui {

QString resources_dir() {
    const QByteArray env = qgetenv("HGQ_RESOURCES");
    if (!env.isEmpty()) return QString::fromLocal8Bit(env);
    const QString installed = QCoreApplication::applicationDirPath() + "/../share/hgq-studio";
    if (QDir(installed + "/examples").exists()) return QDir(installed).canonicalPath();
    return HGQ_SOURCE_RESOURCES;
}

}  // namespace hgq::gui
