// SPDX-License-Identifier: GPL-3.0-or-later
#include "export_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QUrl>
#include <QVBoxLayout>

#include "export/verify.h"
#include "jobs/export_job.h"

namespace hgq::gui {

ExportDialog::ExportDialog(const QString& study, qint64 point, const QString& resources,
                           QWidget* parent)
    : QDialog(parent), study_(study), resources_(resources), point_(point) {
    setWindowTitle(tr("Export point %1").arg(point));
    auto* form = new QFormLayout;
    format_ = new QComboBox;
    for (const ExportFormat& f : export_formats())
        format_->addItem(QString::fromStdString(f.label), QString::fromStdString(f.name));
    form->addRow(tr("Format"), format_);
    folder_ = new QLineEdit(QDir::home().filePath(QString("hgq-point-%1-hls").arg(point)));
    auto* browse = new QPushButton(tr("Choose…"));
    auto* row = new QHBoxLayout;
    row->addWidget(folder_);
    row->addWidget(browse);
    form->addRow(tr("Output folder"), row);
    name_ = new QLineEdit("hgq_model");
    form->addRow(tr("Top name"), name_);
    part_ = new QLineEdit("xcvu13p-flga2577-2-e");
    form->addRow(tr("FPGA part"), part_);
    clock_ = new QDoubleSpinBox;
    clock_->setRange(0.5, 100);
    clock_->setValue(5);
    clock_->setSuffix(" ns");
    form->addRow(tr("Clock period"), clock_);
    stages_ = new QSpinBox;
    stages_->setRange(0, 64);
    stages_->setSpecialValueText(tr("combinational"));
    form->addRow(tr("Register stages"), stages_);
    vectors_ = new QSpinBox;
    vectors_->setRange(0, 10000000);
    vectors_->setSpecialValueText(tr("whole test split"));
    form->addRow(tr("Test vectors"), vectors_);
    overwrite_ = new QCheckBox(tr("Overwrite a non-empty folder"));
    verify_ = new QCheckBox(tr("Verify bit-exactness now"));
    verify_->setChecked(true);
    form->addRow(overwrite_);
    form->addRow(verify_);
    progress_ = new QProgressBar;
    progress_->setRange(0, 0);
    progress_->hide();
    result_ = new QPlainTextEdit;
    result_->setReadOnly(true);
    result_->setPlaceholderText(tr("The export's files, adders and verification appear here."));
    export_ = new QPushButton(QIcon::fromTheme("document-save"), tr("Export"));
    export_->setDefault(true);
    open_ = new QPushButton(QIcon::fromTheme("folder-open"), tr("Open folder"));
    open_->setEnabled(false);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->addButton(open_, QDialogButtonBox::ActionRole);
    buttons->addButton(export_, QDialogButtonBox::AcceptRole);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(progress_);
    layout->addWidget(result_, 1);
    layout->addWidget(buttons);
    resize(640, 480);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString d =
            QFileDialog::getExistingDirectory(this, tr("Output folder"), folder_->text());
        if (!d.isEmpty()) folder_->setText(d);
    });
    connect(export_, &QPushButton::clicked, this, &ExportDialog::start);
    connect(format_, &QComboBox::currentIndexChanged, this, &ExportDialog::formatChanged);
    formatChanged();
    disconnect(buttons, &QDialogButtonBox::accepted, this, nullptr);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(open_, &QPushButton::clicked, this,
            [this] { QDesktopServices::openUrl(QUrl::fromLocalFile(folder_->text())); });
}

ExportDialog::~ExportDialog() {
    if (worker_.joinable()) worker_.join();  // an export cannot be interrupted halfway
}

// The default folder follows the format (unless the user typed another); the options that do
// not apply to it are disabled; the verifier is named.
void ExportDialog::formatChanged() {
    const QString name = format_->currentData().toString();
    const ExportFormat& f = export_format(name.toStdString());
    const bool verilog = f.language == exportfs::Language::Verilog;
    static const QRegularExpression kDefault("hgq-point-\\d+-\\w+$");
    if (kDefault.match(folder_->text()).hasMatch())
        folder_->setText(QDir::home().filePath(QString("hgq-point-%1-%2").arg(point_).arg(name)));
    stages_->setEnabled(verilog);
    clock_->setEnabled(!verilog);
    verify_->setText(verilog ? tr("Verify bit-exactness now (Verilator simulation)")
                             : tr("Verify bit-exactness now (C simulation with g++)"));
}

void ExportDialog::start() {
    if (busy_) return;
    if (worker_.joinable()) worker_.join();
    jobs::ExportRequest r;
    r.format = format_->currentData().toString().toStdString();
    r.out_dir = folder_->text().toStdString();
    r.resources_dir = resources_.toStdString();
    r.point = point_;
    r.vectors = vectors_->value();
    r.threads = 2;
    r.options.name = name_->text().toStdString();
    r.options.part = part_->text().toStdString();
    r.options.clock_ns = clock_->value();
    r.options.register_stages = stages_->value();
    r.options.overwrite = overwrite_->isChecked();
    const bool verify = verify_->isChecked();
    const std::string emul = (resources_ + "/fx_emul").toStdString();
    const std::string study = study_.toStdString();
    busy_ = true;
    export_->setEnabled(false);
    progress_->show();
    result_->setPlainText(tr("Exporting…"));
    worker_ = std::thread([this, r, verify, emul, study] {
        bool ok = false;
        QString text;
        try {
            store::Study s(study, store::Study::Open::Existing);  // this thread's connection
            const jobs::ExportResult e = jobs::export_job(s, r);
            text = tr("Exported in %1 s: %2 files, %3 lines of firmware, %4 adders for %5 "
                      "non-zero weights, %6 test vectors.\n")
                       .arg(e.seconds, 0, 'f', 2)
                       .arg(e.stats.files.size())
                       .arg(e.stats.lines)
                       .arg(e.stats.adders)
                       .arg(e.stats.nonzero_weights)
                       .arg(e.vectors);
            ok = true;
            if (verify) {
                const VerifyResult v = verify_export(r.out_dir, emul);
                text += QString::fromStdString(v.output) +
                        tr("Verification: compile %1 s, run %2 s — %3\n")
                            .arg(v.compile_seconds, 0, 'f', 1)
                            .arg(v.run_seconds, 0, 'f', 1)
                            .arg(v.passed ? tr("bit-exact") : tr("MISMATCH"));
                ok = v.passed;
            }
        } catch (const std::exception& e) {
            text = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(
            this, [this, ok, text] { done(ok, text); }, Qt::QueuedConnection);
    });
}

void ExportDialog::done(bool ok, const QString& text) {
    busy_ = false;
    progress_->hide();
    export_->setEnabled(true);
    open_->setEnabled(QDir(folder_->text()).exists());
    result_->setPlainText(text);
    emit finished(ok, text);
}

}  // namespace hgq::gui
