// SPDX-License-Identifier: GPL-3.0-or-later
#include "synth_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>
#include <vector>

#include "core/subprocess.h"
#include "jobs/synth_job.h"

namespace hgq::gui {

SynthPanel::SynthPanel(QWidget* parent) : QWidget(parent), yosys_(tool_on_path("yosys")) {
    family_ = new QComboBox;
    family_->addItems({"xcup", "xcu", "xc7"});
    family_->setToolTip(
        tr("Xilinx family for yosys synth_xilinx (UltraScale+, UltraScale, "
           "7-series)"));
    synth_ = new QPushButton(QIcon::fromTheme("system-run"), tr("Synthesize (yosys)"));
    cancel_ = new QPushButton(QIcon::fromTheme("process-stop"), tr("Cancel"));
    front_ = new QPushButton(tr("Synthesize front"));
    front_->setToolTip(tr("Synthesize every Pareto-front point not synthesized yet, one after "
                          "another: the LUT calibration and the LUT axis fill in as they finish"));
    progress_ = new QProgressBar;
    progress_->setRange(0, 0);  // yosys gives no fraction done: a busy bar and the pass name
    progress_->setMaximumHeight(12);
    progress_->setTextVisible(false);
    status_ = new QLabel;
    status_->setWordWrap(true);
    status_->setStyleSheet("color: #555;");
    result_ = new QLabel;
    result_->setWordWrap(true);
    result_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* row = new QHBoxLayout;
    row->addWidget(family_);
    row->addWidget(synth_, 1);
    row->addWidget(front_);
    row->addWidget(cancel_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(progress_);
    layout->addWidget(status_);
    layout->addWidget(result_);
    progress_->hide();
    cancel_->hide();
    if (!yosys_) status_->setText(tr("yosys is not installed: apt-get install yosys"));
    tick_.setInterval(250);
    connect(&tick_, &QTimer::timeout, this, &SynthPanel::tick);
    connect(synth_, &QPushButton::clicked, this, &SynthPanel::start);
    connect(front_, &QPushButton::clicked, this, &SynthPanel::startFront);
    connect(cancel_, &QPushButton::clicked, this, &SynthPanel::cancel);
    updateButtons();
}

SynthPanel::~SynthPanel() {
    stop_ = true;
    if (worker_.joinable()) worker_.join();
}

void SynthPanel::setStudy(const QString& study, const QString& resources) {
    study_ = study;
    resources_ = resources;
    updateButtons();
}

void SynthPanel::setHistory(const QVector<widgets::SynthPointView>& done) {
    std::vector<double> rates;
    for (const auto& s : done)
        if (s.ebops > 0 && s.seconds > 0) rates.push_back(s.seconds / s.ebops);
    if (rates.empty()) return;
    std::nth_element(rates.begin(), rates.begin() + rates.size() / 2, rates.end());
    seconds_per_ebop_ = rates[rates.size() / 2];  // the median: robust to one busy run
}

double SynthPanel::estimatedSeconds() const {
    return 5 + seconds_per_ebop_ * ebops_;  // yosys' fixed start-up cost plus the design
}

void SynthPanel::setPoint(qint64 point, double ebops, const widgets::SynthPointView* s) {
    point_ = point;
    ebops_ = ebops;
    const QLocale loc;
    if (point <= 0)
        result_->clear();
    else if (!s)
        result_->setText(tr("Point %1 is not synthesized yet.").arg(point));
    else
        result_->setText(tr("<b>%1 LUTs</b> (%2 per exact EBOP), %3 carry cells, %4 flip-flops "
                            "— yosys, %5")
                             .arg(loc.toString(qint64(s->luts)))
                             .arg(s->ebops > 0 ? s->luts / s->ebops : 0.0, 0, 'f', 2)
                             .arg(loc.toString(qint64(s->carry)))
                             .arg(loc.toString(qint64(s->ff)))
                             .arg(s->family));
    synth_->setToolTip(point > 0 ? tr("Export point %1 as Verilog and synthesize it with yosys "
                                      "(about %2 s)")
                                       .arg(point)
                                       .arg(qRound(estimatedSeconds()))
                                 : QString());
    updateButtons();
}

void SynthPanel::updateButtons() {
    synth_->setEnabled(yosys_ && !busy_ && point_ > 0 && !study_.isEmpty());
    front_->setEnabled(yosys_ && !busy_ && !pending_front_.isEmpty() && !study_.isEmpty());
    front_->setText(pending_front_.isEmpty() ? tr("Synthesize front")
                                             : tr("Synthesize front (%1)").arg(pending_front_.size()));
    family_->setEnabled(!busy_);
}

void SynthPanel::setFrontPending(const QVector<QPair<qint64, double>>& pending) {
    pending_front_ = pending;
    std::sort(pending_front_.begin(), pending_front_.end(),
              [](const auto& a, const auto& b) { return a.second < b.second; });
    updateButtons();
}

void SynthPanel::start() {
    queue_.clear();
    startPoint(point_, ebops_);
}

void SynthPanel::startFront() {
    if (busy_ || pending_front_.isEmpty()) return;
    queue_ = pending_front_;
    queue_total_ = int(queue_.size());
    const auto [point, ebops] = queue_.takeFirst();
    startPoint(point, ebops);
}

void SynthPanel::startPoint(qint64 point, double ebops) {
    if (busy_ || point <= 0 || !yosys_) return;
    if (worker_.joinable()) worker_.join();
    jobs::SynthRequest q;
    q.resources_dir = resources_.toStdString();
    q.point = point;
    q.out_dir = (study_ + ".synth/point-" + QString::number(point)).toStdString();
    q.overwrite = true;  // the app's own folder
    q.threads = 2;
    q.synth.family = family_->currentText().toStdString();
    q.synth.cancel = &stop_;
    q.synth.on_stage = [this](const std::string& line) {
        std::lock_guard lock(stage_mutex_);
        stage_ = QString::fromStdString(line);
    };
    stop_ = false;
    busy_ = true;
    eta_ = 5 + seconds_per_ebop_ * ebops;
    stage_ = tr("exporting Verilog…");
    clock_.start();
    tick_.start();
    progress_->show();
    cancel_->show();
    updateButtons();
    tick();
    worker_ = std::thread([this, q, study = study_.toStdString()] {
        bool ok = false;
        QString msg;
        try {
            store::Study s(study, store::Study::Open::Existing);  // this thread's connection
            const store::SynthRecord r = jobs::synth_job(s, q);
            ok = true;
            msg =
                tr("Point %1: %2 LUTs in %3 s").arg(q.point).arg(r.luts).arg(r.seconds, 0, 'f', 1);
        } catch (const std::exception& e) {
            msg = stop_ ? tr("Synthesis cancelled") : QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(
            this, [this, ok, msg] { done(ok, msg); }, Qt::QueuedConnection);
    });
}

void SynthPanel::cancel() {
    if (busy_) stop_ = true;
}

void SynthPanel::tick() {
    QString stage;
    {
        std::lock_guard lock(stage_mutex_);
        stage = stage_;
    }
    const QString of_front =
        queue_total_ > 0 ? tr("front point %1 of %2 · ").arg(queue_total_ - queue_.size()).arg(queue_total_)
                         : QString();
    status_->setText(of_front + tr("%1 s of ~%2 s — %3")
                         .arg(clock_.elapsed() / 1000)
                         .arg(qRound(eta_))
                         .arg(stage.left(90)));
}

void SynthPanel::done(bool ok, const QString& message) {
    if (worker_.joinable()) worker_.join();
    busy_ = false;
    tick_.stop();
    progress_->hide();
    cancel_->hide();
    status_->setText(message);
    updateButtons();
    emit finished(ok, message);
    if (ok && !stop_ && !queue_.isEmpty()) {
        const auto [point, ebops] = queue_.takeFirst();
        startPoint(point, ebops);
        return;
    }
    queue_.clear();
    queue_total_ = 0;
}

}  // namespace hgq::gui
