// SPDX-License-Identifier: GPL-3.0-or-later
// Export of the selected point in any format of the export table (export/formats.h): output
// folder, top name, part, clock, register stages (Verilog) and the number of test vectors; the
// export and its verification (C simulation or Verilator) run in a worker thread with a busy
// indicator, and the result pane shows the outcome with a button to open the folder.
#pragma once
#include <QDialog>
#include <atomic>
#include <thread>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace hgq::gui {

class ExportDialog : public QDialog {
    Q_OBJECT
  public:
    ExportDialog(const QString& study, qint64 point, const QString& resources,
                 QWidget* parent = nullptr);
    ~ExportDialog() override;

    QLineEdit* folderEdit() const { return folder_; }
    QComboBox* formatBox() const { return format_; }
    QPushButton* exportButton() const { return export_; }
    QPlainTextEdit* resultPane() const { return result_; }
    bool busy() const { return busy_; }

  signals:
    void finished(bool ok, QString summary);

  private:
    void start();
    void done(bool ok, const QString& text);
    void formatChanged();

    QString study_, resources_;
    qint64 point_;
    QComboBox* format_;
    QLineEdit *folder_, *name_, *part_;
    QDoubleSpinBox* clock_;
    QSpinBox *vectors_, *stages_;
    QCheckBox *overwrite_, *verify_;
    QProgressBar* progress_;
    QPlainTextEdit* result_;
    QPushButton *export_, *open_;
    std::thread worker_;
    std::atomic<bool> busy_{false};
};

}  // namespace hgq::gui
