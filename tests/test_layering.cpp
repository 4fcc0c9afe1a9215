// SPDX-License-Identifier: GPL-3.0-or-later
// The engine's parts and the arrows allowed between them (README, "Layout"), read from the
// include lines of engine/. The rules that keep the store a store, export a writer and the
// trainer free of storage: store includes nothing from train/, deploy/, export/ or jobs/; export
// nothing from store/ or jobs/; train nothing from deploy/, store/, export/ or jobs/; deploy
// nothing from store/, train/ or export/. Only jobs/ combines them. A new part must be added to
// the table. Every violation is printed with its file and line.
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QtTest>

#include <map>
#include <set>

namespace {

// Part → the parts it may include (besides itself).
const std::map<QString, std::set<QString>>& allowed() {
    static const std::map<QString, std::set<QString>> table = {
        {"core", {}},
        {"quant", {"core"}},
        {"nn", {"core", "quant"}},
        {"cost", {"core", "quant", "nn"}},
        {"data", {"core"}},
        {"config", {"core", "data", "nn", "quant", "train"}},
        {"train", {"core", "quant", "nn", "cost", "data"}},
        {"deploy", {"core", "quant", "nn", "cost", "data"}},
        {"store", {"core", "data"}},
        {"export", {"core", "quant", "nn", "cost", "data", "deploy"}},
        {"cluster", {"core"}},
        {"jobs",
         {"core", "quant", "nn", "cost", "data", "config", "train", "deploy", "store", "export",
          "cluster"}},
    };
    return table;
}

struct Include {
    QString file, part, target;
    int line = 0;
};

// The engine includes of one file: `#include "part/..."` lines outside raw strings (generated
// code templates hold #include lines of their own).
QVector<Include> includes_of(const QString& path, const QString& part) {
    QVector<Include> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return out;
    static const QRegularExpression inc(R"(^\s*#\s*include\s*"([a-z_]+)/)");
    bool in_raw = false;
    int n = 0;
    for (const QByteArray& raw : f.readAll().split('\n')) {
        const QString line = QString::fromUtf8(raw);
        ++n;
        if (in_raw) {
            if (line.contains(")\"")) in_raw = false;
            continue;
        }
        if (line.contains("R\"(") && !line.mid(line.indexOf("R\"(")).contains(")\"")) {
            in_raw = true;
            continue;
        }
        const auto m = inc.match(line);
        if (m.hasMatch()) out.push_back({path, part, m.captured(1), n});
    }
    return out;
}

}  // namespace

class LayeringTest : public QObject {
    Q_OBJECT
  private slots:
    void engineIncludesFollowTheLayout() {
        const QString engine = QString(HGQ_SOURCE_DIR) + "/engine";
        QStringList violations;
        int files = 0, checked = 0;
        QDirIterator it(engine, {"*.h", "*.cpp"}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            const QString part = QDir(engine).relativeFilePath(path).section('/', 0, 0);
            if (!path.mid(engine.size() + 1).contains('/')) continue;  // engine/CMakeLists etc.
            ++files;
            const auto rules = allowed().find(part);
            if (rules == allowed().end()) {
                violations << path + ": engine/" + part +
                                  " is a part the layout table does not know";
                continue;
            }
            for (const Include& i : includes_of(path, part)) {
                ++checked;
                if (i.target == part || rules->second.count(i.target)) continue;
                QStringList may(rules->second.begin(), rules->second.end());
                violations << QString("%1:%2: %3 includes %4/ (it may include only %5)")
                                  .arg(QDir(QString(HGQ_SOURCE_DIR)).relativeFilePath(i.file))
                                  .arg(i.line)
                                  .arg(part, i.target, may.isEmpty() ? "itself" : may.join(", "));
            }
        }
        qInfo("%d engine files, %d includes between parts checked", files, checked);
        QVERIFY(files > 50);
        for (const QString& v : violations) qWarning("%s", qPrintable(v));
        QVERIFY2(violations.isEmpty(),
                 qPrintable(QString::number(violations.size()) + " violations"));
    }

    // The checker itself: a store file including train/ is caught, a raw string is skipped.
    void theCheckerCatchesAViolation() {
        QTemporaryDir dir;
        const QString path = dir.filePath("x.cpp");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            "#include \"store/study.h\"\n#include \"train/trainer.h\"\n"
            "const char* t = R\"(\n#include \"jobs/x.h\"\n)\";\n");
        f.close();
        const auto inc = includes_of(path, "store");
        QCOMPARE(inc.size(), 2);
        QCOMPARE(inc[1].target, QString("train"));
        QCOMPARE(inc[1].line, 2);
        QVERIFY(!allowed().at("store").count(inc[1].target));
    }
};

QTEST_GUILESS_MAIN(LayeringTest)
#include "test_layering.moc"
