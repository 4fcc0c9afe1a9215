// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: size and layout — a first window that fits the screen it opens on, a small minimum
// size (a 1280×720 laptop, or 1.5× scaling on 1920×1080), and the user's dock layout and window
// geometry restored at the next start.
#include <QCloseEvent>
#include <QDockWidget>
#include <QGuiApplication>
#include <QScreen>
#include <QSettings>

#include "main_window.h"
#include "sweep_setup.h"

namespace hgq::gui {

namespace {
// Bump when the dock set changes: a saved state of other docks would restore a broken layout.
constexpr int kLayoutVersion = 2;
}  // namespace

// The preferred size (1500×950) shrunk to 92 % of the screen's available area, so the title bar
// and every dock edge are on screen; then centred.
void MainWindow::fitToScreen() {
    const QScreen* screen = this->screen() ? this->screen() : QGuiApplication::primaryScreen();
    if (!screen) return;
    const QRect avail = screen->availableGeometry();
    const QSize size(std::min(1500, int(avail.width() * 0.92)),
                     std::min(950, int(avail.height() * 0.92)));
    resize(size);
    move(avail.center() - QPoint(size.width() / 2, size.height() / 2));
    // Docks sized for the window they are in: the setup a quarter, the right column a third.
    auto* setup = findChild<QDockWidget*>("setupDock");
    auto* hist = findChild<QDockWidget*>("histogramDock");
    auto* res = findChild<QDockWidget*>("resourcesDock");
    auto* runs = findChild<QDockWidget*>("runsDock");
    resizeDocks({setup, hist}, {size.width() * 23 / 100, size.width() * 33 / 100}, Qt::Horizontal);
    resizeDocks({hist, res}, {size.height() * 55 / 100, size.height() * 35 / 100}, Qt::Vertical);
    resizeDocks({runs}, {size.height() / 4}, Qt::Vertical);
}

void MainWindow::restoreLayout() {
    QSettings s;
    const QByteArray geometry = s.value("window/geometry").toByteArray();
    const QByteArray state = s.value("window/state").toByteArray();
    if (geometry.isEmpty() || !restoreGeometry(geometry)) fitToScreen();
    if (!state.isEmpty()) restoreState(state, kLayoutVersion);
    setup_->restoreSettings();
}

void MainWindow::saveLayout() {
    QSettings s;
    s.setValue("window/geometry", saveGeometry());
    s.setValue("window/state", saveState(kLayoutVersion));
    setup_->saveSettings();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    saveLayout();
    QMainWindow::closeEvent(event);
}

}  // namespace hgq::gui
