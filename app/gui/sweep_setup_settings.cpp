// SPDX-License-Identifier: GPL-3.0-or-later
// SweepSetup: the form as the user left it comes back at the next start. Saved as the preset's
// path, the whole config the form builds, and the sweep's own fields (β range, runs, parallel,
// steering); restored by loading the preset and then the saved config over it.
#include <QComboBox>
#include <QFileInfo>
#include <QLineEdit>
#include <QSettings>
#include <QSpinBox>

#include "sweep_setup.h"

namespace hgq::gui {

void SweepSetup::saveSettings() const {
    QSettings s;
    s.beginGroup("sweepSetup");
    s.setValue("preset", preset_->currentData().toString());
    try {
        s.setValue("config", QString::fromStdString(config().dump()));
    } catch (const std::exception&) {
        s.remove("config");  // a half-typed model is not worth restoring over the preset
    }
    s.setValue("dataFile", data_file_->text());
    s.setValue("labelColumn", label_column_->currentData().toString());
    s.setValue("betaFrom", beta_from_->text());
    s.setValue("betaTo", beta_to_->text());
    s.setValue("runs", count_->value());
    s.setValue("parallel", parallel_->value());
    s.setValue("shape", shape_->currentIndex());
    s.setValue("steer", steer_ ? steer_->currentIndex() : 0);
    if (target_from_) s.setValue("targetFrom", target_from_->text());
    if (target_to_) s.setValue("targetTo", target_to_->text());
    s.endGroup();
}

void SweepSetup::restoreSettings() {
    QSettings s;
    s.beginGroup("sweepSetup");
    const QString preset = s.value("preset").toString();
    const int index = preset.isEmpty() ? -1 : preset_->findData(preset);
    if (index < 0) return;  // nothing saved, or the preset file is gone: keep the default
    preset_->setCurrentIndex(index);
    const QString config = s.value("config").toString();
    applyConfig(config.isEmpty() ? QString() : config, preset);
    const QString data = s.value("dataFile").toString();
    if (!data.isEmpty() && QFileInfo(data).isFile()) {
        setDataFile(data);
        const int column = label_column_->findData(s.value("labelColumn").toString());
        if (column >= 0) label_column_->setCurrentIndex(column);
    }
    beta_from_->setText(s.value("betaFrom", beta_from_->text()).toString());
    beta_to_->setText(s.value("betaTo", beta_to_->text()).toString());
    count_->setValue(s.value("runs", count_->value()).toInt());
    parallel_->setValue(s.value("parallel", parallel_->value()).toInt());
    shape_->setCurrentIndex(s.value("shape", shape_->currentIndex()).toInt());
    if (steer_) steer_->setCurrentIndex(s.value("steer", 0).toInt());
    if (target_from_) target_from_->setText(s.value("targetFrom", target_from_->text()).toString());
    if (target_to_) target_to_->setText(s.value("targetTo", target_to_->text()).toString());
    s.endGroup();
    validate();
}

}  // namespace hgq::gui
