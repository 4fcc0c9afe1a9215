// SPDX-License-Identifier: GPL-3.0-or-later
// SweepSetup: where the sweep runs — this machine's worker threads, or a SLURM cluster as one
// job array (partition, time limit, CPUs per task, tasks at once), checked like every field.
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "core/error.h"
#include "core/subprocess.h"
#include "sweep_setup.h"

namespace hgq::gui {

QWidget* SweepSetup::buildRunOn() {
    auto* box = new QGroupBox(tr("Run on"));
    auto* layout = new QVBoxLayout(box);
    run_on_ = new QComboBox;
    run_on_->addItems({tr("this machine"), tr("SLURM cluster")});
    run_on_->setToolTip(
        tr("A SLURM cluster runs every run as a task of one job array; the app "
           "collects each task's snapshots into the study as they arrive"));
    layout->addWidget(run_on_);
    cluster_box_ = new QWidget;
    auto* form = new QFormLayout(cluster_box_);
    form->setContentsMargins(0, 0, 0, 0);
    partition_ = new QLineEdit;
    partition_->setPlaceholderText(tr("the cluster's default"));
    time_ = new QLineEdit;
    time_->setPlaceholderText(tr("the partition's, e.g. 02:00:00"));
    cpus_ = new QSpinBox;
    cpus_->setRange(1, 256);
    max_parallel_ = new QSpinBox;
    max_parallel_->setRange(0, 10000);
    max_parallel_->setSpecialValueText(tr("no limit"));
    form->addRow(tr("Partition"), partition_);
    form->addRow(tr("Time limit"), time_);
    form->addRow(tr("CPUs per task"), cpus_);
    form->addRow(tr("Tasks at once"), max_parallel_);
    layout->addWidget(cluster_box_);
    connect(run_on_, &QComboBox::currentIndexChanged, this, [this] {
        showRunOn();
        validate();
    });
    for (QLineEdit* e : {partition_, time_})
        connect(e, &QLineEdit::textChanged, this, &SweepSetup::validate);
    for (QSpinBox* s : {cpus_, max_parallel_})
        connect(s, &QSpinBox::valueChanged, this, &SweepSetup::validate);
    return box;
}

void SweepSetup::showRunOn() {
    const bool cluster = run_on_->currentIndex() == 1;
    cluster_box_->setVisible(cluster);
    parallel_->setEnabled(!cluster);
    start_->setText(cluster ? tr("Submit to SLURM") : tr("Start sweep"));
}

void SweepSetup::readRunOn(SweepRequest& r) const {
    r.cluster = run_on_->currentIndex() == 1;
    if (!r.cluster) return;
    r.sbatch.partition = partition_->text().trimmed().toStdString();
    r.sbatch.time = time_->text().trimmed().toStdString();
    r.sbatch.cpus_per_task = cpus_->value();
    r.sbatch.max_parallel = max_parallel_->value();
    cluster::check_options(r.sbatch);
    if (!tool_on_path("sbatch"))
        throw Error::runtime("sbatch", "is not on PATH",
                             "install the Debian package slurm-client, or run on this machine");
}

}  // namespace hgq::gui
