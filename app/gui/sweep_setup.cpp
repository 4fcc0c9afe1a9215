// SPDX-License-Identifier: GPL-3.0-or-later
#include "sweep_setup.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

#include "config/experiment.h"
#include "config/json_reader.h"
#include "data/dataset.h"
#include "label_columns.h"
#include "jobs/sweep_plan.h"

namespace hgq::gui {

SweepSetup::SweepSetup(const QString& resources, QWidget* parent)
    : QWidget(parent), resources_(resources) {
    build();
    const QDir examples(resources_ + "/examples");
    for (const QString& f : examples.entryList({"*.json"}, QDir::Files, QDir::Name))
        preset_->addItem(f.chopped(5), examples.filePath(f));
    preset_->addItem(tr("Open a config file…"), QString());
    const int digits = preset_->findText("digits_mlp");
    preset_->setCurrentIndex(digits >= 0 ? digits : 0);
    choosePreset(preset_->currentIndex());
    connect(preset_, &QComboBox::activated, this, &SweepSetup::choosePreset);
}

void SweepSetup::build() {
    auto* layout = new QVBoxLayout(this);
    preset_ = new QComboBox;
    preset_->setToolTip(tr("Start from a bundled example or any experiment config"));
    auto* top = new QFormLayout;
    top->addRow(tr("Preset"), preset_);
    layout->addLayout(top);
    layout->addWidget(buildData());
    auto* model_box = new QGroupBox(tr("Model (one layer per line, JSON)"));
    model_ = new QPlainTextEdit;
    model_->setFont(QFont("monospace", 8));
    model_->setMinimumHeight(110);
    (new QVBoxLayout(model_box))->addWidget(model_);
    layout->addWidget(model_box);
    layout->addWidget(buildTraining());
    layout->addWidget(buildRunOn());
    status_ = new QLabel;
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(status_);
    start_ = new QPushButton(QIcon::fromTheme("media-playback-start"), tr("Start sweep"));
    start_->setDefault(true);
    layout->addWidget(start_);
    layout->addStretch();
    connect(start_, &QPushButton::clicked, this, [this] {
        if (valid_) emit startRequested();
    });
    connect(model_, &QPlainTextEdit::textChanged, this, &SweepSetup::validate);
    showRunOn();
}

QWidget* SweepSetup::buildData() {
    auto* box = new QGroupBox(tr("Data"));
    auto* form = new QFormLayout(box);
    data_file_ = new QLineEdit;
    data_file_->setPlaceholderText(tr("as the preset says"));
    auto* browse = new QPushButton(tr("File…"));
    auto* row = new QHBoxLayout;
    row->addWidget(data_file_);
    row->addWidget(browse);
    form->addRow(tr("Data set"), row);
    label_column_ = new QComboBox;
    label_column_->setEnabled(false);
    form->addRow(tr("Label column"), label_column_);
    connect(browse, &QPushButton::clicked, this, &SweepSetup::chooseDataFile);
    connect(data_file_, &QLineEdit::editingFinished, this, &SweepSetup::validate);
    connect(label_column_, &QComboBox::currentIndexChanged, this, &SweepSetup::validate);
    return box;
}

namespace {
QSpinBox* spin(int lo, int hi, int step = 1) {
    auto* s = new QSpinBox;
    s->setRange(lo, hi);
    s->setSingleStep(step);
    return s;
}
QComboBox* combo(const QStringList& items) {
    auto* c = new QComboBox;
    c->addItems(items);
    return c;
}
}  // namespace

QWidget* SweepSetup::buildTraining() {
    auto* box = new QGroupBox(tr("Quantization, training and sweep"));
    auto* form = new QFormLayout(box);
    w_gran_ = combo({"per-weight", "per-channel", "per-layer"});
    a_gran_ = combo({"per-element", "per-channel", "per-layer"});
    w_bits_ = spin(0, 16);
    a_bits_ = spin(0, 16);
    gamma_ = new QLineEdit;
    epochs_ = spin(1, 100000);
    batch_ = spin(1, 1 << 16);
    // A line edit, not a spin box: a spin box rounds 1e-4 to its decimals and clamps to its
    // range without a word. Typed values go to the config parser as typed (1e-4, 0.0000012).
    lr_ = new QLineEdit;
    lr_->setToolTip(tr("Adam's learning rate, e.g. 5e-3 or 1e-4 (scientific notation works)"));
    beta_from_ = new QLineEdit;
    beta_to_ = new QLineEdit;
    count_ = spin(1, 64);
    shape_ = combo({tr("ramp (preset schedule, scaled)"), tr("constant")});
    parallel_ = spin(1, std::max(1, QThread::idealThreadCount()));
    form->addRow(tr("Weight bits: granularity"), w_gran_);
    form->addRow(tr("Weight initial F"), w_bits_);
    form->addRow(tr("Activation granularity"), a_gran_);
    form->addRow(tr("Activation initial F"), a_bits_);
    form->addRow(tr("γ (L1 on F)"), gamma_);
    form->addRow(tr("Epochs"), epochs_);
    form->addRow(tr("Batch size"), batch_);
    form->addRow(tr("Learning rate"), lr_);
    training_form_ = form;
    buildSteer(form);
    form->addRow(tr("Final β from"), beta_from_);
    form->addRow(tr("Final β to"), beta_to_);
    form->addRow(tr("Runs"), count_);
    form->addRow(tr("β schedule"), shape_);
    form->addRow(tr("Parallel workers"), parallel_);
    showSteer();
    for (QSpinBox* s : {w_bits_, a_bits_, epochs_, batch_, count_, parallel_})
        connect(s, &QSpinBox::valueChanged, this, &SweepSetup::validate);
    for (QLineEdit* e : {gamma_, beta_from_, beta_to_})
        connect(e, &QLineEdit::textChanged, this, &SweepSetup::validate);
    for (QComboBox* c : {w_gran_, a_gran_, shape_})
        connect(c, &QComboBox::currentIndexChanged, this, &SweepSetup::validate);
    connect(lr_, &QLineEdit::textChanged, this, &SweepSetup::validate);
    return box;
}

void SweepSetup::choosePreset(int index) {
    QString path = preset_->itemData(index).toString();
    if (path.isEmpty()) {
        path = QFileDialog::getOpenFileName(this, tr("Experiment config"), QString(),
                                            tr("Configs (*.json)"));
        if (path.isEmpty()) return;
        preset_->insertItem(index, QFileInfo(path).baseName(), path);
        preset_->setCurrentIndex(index);
    }
    loadConfig(path);
}

void SweepSetup::chooseDataFile() {
    const QString f = QFileDialog::getOpenFileName(
        this, tr("Data set"), QString(),
        tr("Data sets (*.csv *.csv.gz *.arff *.arff.gz *.npy *idx3-ubyte *idx3-ubyte.gz)"));
    if (f.isEmpty()) return;
    data_file_->setText(f);
    label_column_->clear();
    label_column_->addItems(label_columns(f));
    label_column_->setEnabled(label_column_->count() > 0);
    if (label_column_->count() > 0) label_column_->setCurrentIndex(label_column_->count() - 1);
    validate();
}

}  // namespace hgq::gui
