// SPDX-License-Identifier: GPL-3.0-or-later
#include "plot_export_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>

namespace hgq::gui {

PlotExportDialog::PlotExportDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Export plot"));
    QSettings s;
    path_ = new QLineEdit(s.value("plotExport/path", "pareto.png").toString());
    auto* browse = new QPushButton(tr("Browse…"));
    auto* file_row = new QHBoxLayout;
    file_row->addWidget(path_, 1);
    file_row->addWidget(browse);
    width_ = new QSpinBox;
    height_ = new QSpinBox;
    for (QSpinBox* b : {width_, height_}) b->setRange(200, 8000), b->setSuffix(" px");
    width_->setValue(s.value("plotExport/width", 1200).toInt());
    height_->setValue(s.value("plotExport/height", 800).toInt());
    scale_ = new QComboBox;
    for (int k : {1, 2, 3, 4}) scale_->addItem(tr("%1× (%2 dpi)").arg(k).arg(96 * k), k);
    scale_->setCurrentIndex(std::clamp(s.value("plotExport/scale", 2).toInt(), 1, 4) - 1);
    scale_->setToolTip(
        tr("Pixels per layout pixel: 2× doubles the resolution and keeps the "
           "text the same size relative to the plot (PDF is vector anyway)"));
    clean_ = new QCheckBox(tr("Clean: without the selection ring and the pinned marker"));
    clean_->setChecked(s.value("plotExport/clean", true).toBool());
    auto* form = new QFormLayout(this);
    form->addRow(tr("File (.png or .pdf)"), file_row);
    form->addRow(tr("Width"), width_);
    form->addRow(tr("Height"), height_);
    form->addRow(tr("Resolution"), scale_);
    form->addRow(clean_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    form->addRow(buttons);
    connect(browse, &QPushButton::clicked, this, &PlotExportDialog::browse);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        QSettings s;
        s.setValue("plotExport/path", path());
        s.setValue("plotExport/width", widthPx());
        s.setValue("plotExport/height", heightPx());
        s.setValue("plotExport/scale", scale_->currentData().toInt());
        s.setValue("plotExport/clean", clean());
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void PlotExportDialog::browse() {
    const QString f =
        QFileDialog::getSaveFileName(this, tr("Export plot"), path(), tr("Images (*.png *.pdf)"));
    if (!f.isEmpty()) path_->setText(f);
}

QString PlotExportDialog::path() const {
    return path_->text().trimmed();
}
int PlotExportDialog::widthPx() const {
    return width_->value();
}
int PlotExportDialog::heightPx() const {
    return height_->value();
}
double PlotExportDialog::scale() const {
    return scale_->currentData().toDouble();
}
bool PlotExportDialog::clean() const {
    return clean_->isChecked();
}

}  // namespace hgq::gui
