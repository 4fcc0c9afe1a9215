// SPDX-License-Identifier: GPL-3.0-or-later
// Compare and What-if in the real window, as a user drives them (issue 20): select a point, pin
// it, select another — the Compare tab shows both points' EBOPs per layer, the bit difference of
// a layer and both confusion matrices, with the count of test samples they classify differently
// (the same count `hgq compare` prints). Then cap bits in the What-if dock: the preview (exact
// EBOPs and accuracy, as `hgq whatif` gives them) appears as a star on the Pareto plot; "Save as
// point" stores a derived point, joined to its parent on the plot, which the Export dialog then
// exports and verifies bit-exact. With HGQ_SCREENSHOT_DIR set, saves screenshots of both views.
#include <qcustomplot.h>
#include <QComboBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "cli_process.h"
#include "compare_panel.h"
#include "compare_view.h"
#include "export_dialog.h"
#include "main_window.h"
#include "pareto_plot.h"
#include "resources_view.h"
#include "whatif_panel.h"

using namespace hgq;

namespace {

nlohmann::json last_json(const QString& out) {
    return nlohmann::json::parse(out.trimmed().split('\n').last().toStdString(), nullptr, false);
}

void screenshot(QWidget* w, const QString& name) {
    QTest::qWait(200);
    const QByteArray dir = qgetenv("HGQ_SCREENSHOT_DIR");
    if (!dir.isEmpty()) w->grab().save(QString::fromLocal8Bit(dir) + "/" + name + ".png");
}

}  // namespace

class GuiWhatIfTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString db_;
    std::unique_ptr<gui::MainWindow> w_;
    QVector<qint64> points_;  // the trained run's points, fewest EBOPs first

  private slots:
    void initTestCase() {
        QSettings().clear();
        db_ = dir_.filePath("s.sqlite");
        const auto t = cli_test::run_program(
            HGQ_CLI,
            {"train", QString(HGQ_RESOURCES_DIR) + "/examples/digits_mlp.json", "--epochs", "30",
             "--db", db_, "--json"},
            300000);
        QVERIFY2(t.code == 0, qPrintable(t.err));
        const nlohmann::json done = last_json(t.out);  // (a temporary would dangle in the loop)
        for (const auto& p : done["points"]) points_ << p["point"].get<qint64>();
        QVERIFY(points_.size() >= 2);
        w_ = std::make_unique<gui::MainWindow>(db_, HGQ_RESOURCES_DIR);
        w_->resize(1900, 1050);
        w_->show();
        QVERIFY(QTest::qWaitForWindowExposed(w_.get()));
        QTRY_VERIFY(w_->pareto()->points().size() >= points_.size());
    }

    void selectPinSelectCompares() {
        w_->selectPoint(points_[0]);
        w_->pinAction()->trigger();
        QCOMPARE(w_->pinnedPoint(), points_[0]);
        QSignalSpy compared(w_->comparePanel(), &gui::ComparePanel::compared);
        w_->selectPoint(points_.last());
        QVERIFY(compared.wait(60000));
        w_->showDock("compare");
        const auto& c = w_->comparePanel()->view()->comparison();
        QCOMPARE(c.label_a, QString("point %1").arg(points_.last()));
        QCOMPARE(c.label_b, QString("point %1").arg(points_[0]));
        QCOMPARE(c.layers.size(), 3);  // input, dense1, dense2
        QCOMPARE(w_->comparePanel()->view()->ebopsPlot()->plottableCount(), 2);
        QCOMPARE(c.confusion_a.size(), 10);
        QCOMPARE(c.bits_a.size(), 3);  // overlaid histograms: A and B per layer
        QCOMPARE(c.bits_b.size(), 3);
        // The flips the view reports are the CLI's.
        const auto cli = cli_test::run_program(HGQ_CLI,
                                               {"compare", QString::number(points_.last()),
                                                QString::number(points_[0]), "--db", db_, "--json"},
                                               120000);
        QCOMPARE(w_->comparePanel()->disagree(), last_json(cli.out)["disagree"].get<qint64>());
        QVERIFY(
            w_->comparePanel()->view()->summaryLabel()->text().contains("classified differently"));
        // Every weight of the shown layer falls in one class of the difference map.
        const auto n = w_->comparePanel()->view()->shownDiff();
        QCOMPARE(n.more + n.fewer + n.same + n.pruned_a_only + n.pruned_b_only + n.pruned_both,
                 qint64(c.kernels_a[0].codes.size()));
        // Both points are marked on the plot: the selection ring and the pinned diamond.
        QCOMPARE(w_->pareto()->selectedPoint(), points_.last());
        QCOMPARE(w_->pareto()->pinnedPoint(), points_[0]);
        screenshot(w_.get(), "compare-view");
        w_->selectPoint(points_[0]);
        w_->pinAction()->trigger();  // unpin: the pinned point selected, pin again
        QCOMPARE(w_->pinnedPoint(), qint64(0));
    }

    void capsPreviewSaveAndExport() {
        w_->showDock("pareto");
        w_->showDock("whatifDock");
        gui::WhatIfPanel* panel = w_->whatIfPanel();
        const qint64 parent = points_.last();
        w_->selectPoint(parent);
        QTRY_VERIFY_WITH_TIMEOUT(panel->capBox("dense1.weights") != nullptr, 60000);
        QSignalSpy preview(panel, &gui::WhatIfPanel::preview);
        panel->capBox("dense1.weights")->setValue(1);
        panel->capBox("dense2.activations")->setValue(4);
        QTRY_VERIFY_WITH_TIMEOUT(panel->saveButton()->isEnabled(), 60000);
        const auto last = preview.last();
        QCOMPARE(last.at(0).toLongLong(), parent);
        // The same numbers as the CLI's what-if with the same caps.
        const auto cli = cli_test::run_program(
            HGQ_CLI,
            {"whatif", "--db", db_, "--point", QString::number(parent), "--max-bits",
             "dense1.weights=1", "--max-bits", "dense2.activations=4", "--json"},
            120000);
        const auto j = last_json(cli.out);
        QCOMPARE(last.at(1).toDouble(), j["ebops"].get<double>());
        QCOMPARE(last.at(2).toDouble(), j["test_accuracy"].get<double>());
        QVERIFY(j["ebops"].get<double>() < j["ebops_before"].get<double>());
        w_->pareto()->flush();
        QVERIFY(w_->pareto()->whatIfPixel().x() >= 0);
        screenshot(w_.get(), "whatif-preview");

        QSignalSpy saved(panel, &gui::WhatIfPanel::saved);
        QTest::mouseClick(panel->saveButton(), Qt::LeftButton);
        QVERIFY(saved.wait(60000));
        const qint64 derived = saved.first().at(0).toLongLong();
        QTRY_COMPARE(w_->selectedPoint(), derived);
        w_->pareto()->flush();
        QVERIFY(w_->pareto()->derivedLinks() >= 1);
        QVERIFY(w_->pareto()->whatIfPixel().x() < 0);  // the preview became the point
        const auto ins = cli_test::run_program(
            HGQ_CLI, {"inspect", "--db", db_, "--point", QString::number(derived), "--json"},
            60000);
        QCOMPARE(last_json(ins.out)["ebops"].get<double>(), j["ebops"].get<double>());

        QTest::mouseClick(w_->resources()->exportButton(), Qt::LeftButton);
        gui::ExportDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = w_->findChild<gui::ExportDialog*>()) != nullptr);
        dialog->folderEdit()->setText(dir_.filePath("export-derived"));
        QSignalSpy done(dialog, &gui::ExportDialog::finished);
        QTest::mouseClick(dialog->exportButton(), Qt::LeftButton);
        QVERIFY(done.wait(120000));
        QVERIFY2(done.takeFirst().at(0).toBool(), qPrintable(dialog->resultPane()->toPlainText()));
        QVERIFY(dialog->resultPane()->toPlainText().contains("bit-exact"));
        dialog->close();
        screenshot(w_.get(), "whatif-saved");
    }

    void cleanupTestCase() { w_.reset(); }
};

QTEST_MAIN(GuiWhatIfTest)
#include "test_gui_whatif.moc"
