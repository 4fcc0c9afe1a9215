// SPDX-License-Identifier: GPL-3.0-or-later
// SweepSetup: the form ↔ experiment config, and validation by the engine's parser.
#include <charconv>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>

#include "config/experiment.h"
#include "config/json_reader.h"
#include "core/error.h"
#include "data/dataset.h"
#include "sweep_setup.h"

namespace hgq::gui {
namespace {

QString model_text(const nlohmann::json& layers) {
    QStringList lines;
    for (const auto& l : layers) lines << QString::fromStdString(l.dump());
    return "[\n  " + lines.join(",\n  ") + "\n]";
}

// The shortest text that reads back as exactly `v` (5e-3 shows as 0.005, not 0.00500).
QString shortest(double v) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return QString::fromLatin1(buf, int(r.ptr - buf));
}

double final_beta(const nlohmann::json& blocks, double fallback) {
    if (!blocks.is_array() || blocks.empty()) return fallback;
    const auto& last = blocks.back();
    return last.value("value", last.value("to", fallback));
}

}  // namespace

void SweepSetup::loadConfig(const QString& path) {
    try {
        base_ = parse_json_text(read_file_maybe_gz(path.toStdString(), kMaxConfigFileBytes),
                                path.toStdString());
    } catch (const std::exception& e) {
        status_->setText("<span style='color:#c00'>" + QString::fromUtf8(e.what()).toHtmlEscaped() +
                         "</span>");
        valid_ = false;
        start_->setEnabled(false);
        return;
    }
    loading_ = true;
    config_file_ = QFileInfo(path).absoluteFilePath();
    const auto& t = base_.value("training", nlohmann::json::object());
    const auto& q = base_.value("quantization", nlohmann::json::object());
    const auto w = q.value("weights", nlohmann::json::object());
    const auto a = q.value("activations", nlohmann::json::object());
    w_gran_->setCurrentText(QString::fromStdString(w.value("granularity", "per-weight")));
    a_gran_->setCurrentText(QString::fromStdString(a.value("granularity", "per-element")));
    w_bits_->setValue(w.value("init_fractional_bits", 2));
    a_bits_->setValue(a.value("init_fractional_bits", 2));
    gamma_->setText(QString::number(q.value("gamma", 2e-6)));
    epochs_->setValue(t.value("epochs", 100));
    batch_->setValue(t.value("batch_size", 256));
    lr_->setText(shortest(t.value("optimizer", nlohmann::json::object())
                              .value("adam", nlohmann::json::object())
                              .value("lr", 1e-3)));
    const double beta = final_beta(base_.value("beta", nlohmann::json()), 1e-4);
    beta_from_->setText(QString::number(beta / 10));
    beta_to_->setText(QString::number(beta));
    count_->setValue(3);
    model_->setPlainText(model_text(base_.value("model", nlohmann::json::array())));
    data_file_->clear();
    label_column_->clear();
    label_column_->setEnabled(false);
    loading_ = false;
    validate();
}

nlohmann::json SweepSetup::config() const {
    nlohmann::json j = base_;
    j["model"] = nlohmann::json::parse(model_->toPlainText().toStdString());  // may throw
    auto& q = j["quantization"];
    q["weights"]["granularity"] = w_gran_->currentText().toStdString();
    q["weights"]["init_fractional_bits"] = w_bits_->value();
    q["activations"]["granularity"] = a_gran_->currentText().toStdString();
    q["activations"]["init_fractional_bits"] = a_bits_->value();
    bool ok_gamma = false;
    q["gamma"] = gamma_->text().toDouble(&ok_gamma);
    if (!ok_gamma) throw Error::bad_input("γ", "is not a number", "e.g. 2e-6");
    auto& t = j["training"];
    t["epochs"] = epochs_->value();
    t["batch_size"] = batch_->value();
    t["threads"] = 1;  // the sweep runner gives each run its share of the cores
    bool ok_lr = false;
    const double lr = lr_->text().trimmed().toDouble(&ok_lr);
    if (!ok_lr) throw Error::bad_input("learning rate", "is not a number", "e.g. 5e-3 or 1e-4");
    t["optimizer"]["adam"]["lr"] = lr;  // its range is the config parser's, which names the field
    if (!data_file_->text().isEmpty()) {
        const std::string path = QFileInfo(data_file_->text()).absoluteFilePath().toStdString();
        if (data_file_->text().contains("idx3-ubyte")) {
            // MNIST-style pair: the labels file sits beside the images, named alike.
            QString labels = QFileInfo(data_file_->text()).absoluteFilePath();
            labels.replace("images", "labels").replace("idx3-ubyte", "idx1-ubyte");
            j["data"] = {{"source", "idx"}, {"path", path}, {"labels", labels.toStdString()}};
            return j;
        }
        j["data"] = {{"source", format_from_extension(path)}, {"path", path}};
        if (label_column_->currentIndex() >= 0 && label_column_->isEnabled())
            j["data"]["label_column"] = label_column_->currentText().toStdString();
    }
    return j;
}

// Every run of the request must parse: the first error found is shown, with its field.
SweepRequest SweepSetup::request() const {
    SweepRequest r;
    r.parallel = parallel_->value();
    nlohmann::json base;
    try {
        base = config();
    } catch (const nlohmann::json::exception& e) {
        throw Error::bad_input("model", std::string("is not valid JSON: ") + e.what(),
                               "one layer object per line, comma-separated, inside [ ]");
    }
    r.plan = planRuns(base);
    r.plan.spec["source"] = "hgq-studio";
    r.plan.spec["parallel"] = r.parallel;
    r.base = base;
    readRunOn(r);
    return r;
}

void SweepSetup::validate() {
    if (loading_) return;
    QString message;
    try {
        const SweepRequest r = request();
        message = r.cluster ? tr("%1 run(s) of %2 epoch(s) as a SLURM job array — ready")
                                  .arg(r.plan.runs.size())
                                  .arg(epochs_->value())
                            : tr("%1 run(s) of %2 epoch(s), %3 at a time — ready")
                                  .arg(r.plan.runs.size())
                                  .arg(epochs_->value())
                                  .arg(r.parallel);
        valid_ = true;
    } catch (const std::exception& e) {
        message = QString::fromUtf8(e.what());
        valid_ = false;
    }
    status_->setText(valid_ ? message
                            : "<span style='color:#c00'>" + message.toHtmlEscaped() + "</span>");
    start_->setEnabled(valid_);
}

QString SweepSetup::error() const {
    return valid_ ? QString() : status_->text();
}

}  // namespace hgq::gui
