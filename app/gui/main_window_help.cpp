// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: the Sweep menu (start and cancel with a key), keyboard shortcuts, and Help —
// a short "Getting started", the shortcut list and About.
#include <QAction>
#include <QMenuBar>
#include <QMessageBox>

#include "main_window.h"

namespace hgq::gui {

// One table of shortcuts: the actions use it and Help → Keyboard shortcuts lists it.
const QVector<MainWindow::Shortcut>& MainWindow::shortcuts() {
    static const QVector<Shortcut> table = {
        {"start", QKeySequence(Qt::Key_F5), tr("Start sweep")},
        {"cancel", QKeySequence(Qt::SHIFT | Qt::Key_F5), tr("Cancel sweep")},
        {"export", QKeySequence(Qt::CTRL | Qt::Key_E),
         tr("Export the selected point (HLS/Verilog)")},
        {"front", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F),
         tr("Front only (hide dominated points)")},
        {"zoom", QKeySequence(Qt::CTRL | Qt::Key_0), tr("Reset zoom")},
        {"pin", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P),
         tr("Pin / unpin the selected point")},
        {"new", QKeySequence::New, tr("New study")},
        {"open", QKeySequence::Open, tr("Open study")},
        {"quit", QKeySequence::Quit, tr("Quit")},
    };
    return table;
}

QKeySequence MainWindow::shortcutFor(const QString& name) {
    for (const Shortcut& s : shortcuts())
        if (s.name == name) return s.keys;
    return {};
}

void MainWindow::buildSweepMenu() {
    QMenu* sweep = menuBar()->addMenu(tr("&Sweep"));
    QAction* start = sweep->addAction(QIcon::fromTheme("media-playback-start"), tr("&Start sweep"),
                                      this, &MainWindow::startSweep);
    start->setShortcut(shortcutFor("start"));
    start->setObjectName("startSweepAction");
    QAction* cancel = sweep->addAction(QIcon::fromTheme("process-stop"), tr("&Cancel sweep"), this,
                                       &MainWindow::cancelSweep);
    cancel->setShortcut(shortcutFor("cancel"));
    cancel->setObjectName("cancelSweepAction");
    sweep->addSeparator();
    QAction* exp = sweep->addAction(tr("&Export selected point…"), this, &MainWindow::exportHls);
    exp->setShortcut(shortcutFor("export"));
    exp->setObjectName("exportAction");
}

void MainWindow::buildHelpMenu() {
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Getting started"), this, [this] {
        QMessageBox::information(
            this, tr("Getting started"),
            tr("<ol>"
               "<li><b>Sweep setup</b> (left): pick a preset or your own data (CSV, ARFF, NPY, "
               "IDX), check the model and the β range, press <b>Start sweep</b> (F5).</li>"
               "<li>The <b>Pareto front</b> grows live: hollow markers are runs still training "
               "(validation accuracy, estimated EBOPs); filled dots are deployed points (integer-"
               "model test accuracy, exact EBOPs).</li>"
               "<li><b>Click a point</b>: its bit-width histogram, per-weight heatmap (0 bits = "
               "pruned) and per-layer resources appear on the right. Pin it (Ctrl+Shift+P) to "
               "compare with the next one.</li>"
               "<li>Set a <b>Budget</b> (EBOPs, LUTs or a part's share) and press <b>Best under "
               "budget</b>.</li>"
               "<li><b>Synthesize</b> points with yosys for real LUT counts (Synthesize front does "
               "the whole front), then <b>Export</b> (Ctrl+E) the chosen point to an HLS or "
               "Verilog project, bit-exact with what the app shows.</li>"
               "</ol><p>Everything is stored in the study file; the <tt>hgq</tt> command line "
               "works on the same file, even while the app has it open.</p>"));
    });
    help->addAction(tr("&Keyboard shortcuts"), this, [this] {
        QString rows;
        for (const Shortcut& s : shortcuts())
            rows += QString("<tr><td><b>%1</b>&nbsp;&nbsp;</td><td>%2</td></tr>")
                        .arg(s.keys.toString(QKeySequence::NativeText).toHtmlEscaped(),
                             s.what.toHtmlEscaped());
        QMessageBox::information(this, tr("Keyboard shortcuts"), "<table>" + rows + "</table>");
    });
    help->addSeparator();
    help->addAction(tr("About HGQ Studio"), this, [this] {
        QMessageBox::about(this, tr("About HGQ Studio"),
                           tr("<b>HGQ Studio %1</b><p>High Granularity Quantization for FPGA "
                              "neural networks: β sweeps, Pareto fronts, bit-exact fixed-point "
                              "deployment.</p><p>GPL-3.0-or-later</p>")
                               .arg(HGQ_VERSION));
    });
}

}  // namespace hgq::gui
