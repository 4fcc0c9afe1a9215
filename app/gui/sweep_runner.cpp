// SPDX-License-Identifier: GPL-3.0-or-later
#include "sweep_runner.h"

#include <QMetaObject>

#include "jobs/run_job.h"

namespace hgq::gui {

SweepRunner::SweepRunner(QObject* parent) : QObject(parent) {}

SweepRunner::~SweepRunner() {
    cancel_ = true;
    if (worker_.joinable()) worker_.join();
}

bool SweepRunner::start(const QString& study, const std::vector<int64_t>& runs,
                        std::map<int64_t, int> epochs_planned, int parallel, int cores,
                        std::vector<ExperimentConfig> configs, const QString& resources) {
    if (running_) return false;
    if (worker_.joinable()) worker_.join();
    cancel_ = false;
    running_ = true;
    {
        std::lock_guard<std::mutex> lock(mu_);
        state_.clear();
        for (int64_t r : runs) state_[r].planned = std::max(1, epochs_planned[r]);
    }
    started_ = std::chrono::steady_clock::now();
    worker_ = std::thread([=, this, configs = std::move(configs)] {
        jobs::RunHooks hooks;
        hooks.on_progress = [this](int64_t run, int epoch, int64_t done, int64_t total) {
            std::lock_guard<std::mutex> lock(mu_);
            RunState& s = state_[run];
            s.epoch = epoch - 1;
            s.within = total ? double(done) / double(total) : 0;
        };
        hooks.on_end = [this](int64_t run, const std::string&, const std::string&) {
            std::lock_guard<std::mutex> lock(mu_);
            state_[run].ended = true;
        };
        jobs::RunOptions opt;
        opt.resources_dir = resources.toStdString();
        opt.cancel = &cancel_;
        QStringList statuses;
        QString error;
        Splits data;
        try {
            std::vector<jobs::RunInputs> inputs;
            for (const auto& c : configs) inputs.push_back({&c, nullptr});
            if (!configs.empty()) {
                data = load_experiment_data(configs.front(), opt.resources_dir);
                opt.data = &data;
            }
            for (const auto& s : jobs::run_jobs(study.toStdString(), runs, parallel, cores, opt,
                                                hooks, inputs))
                statuses << QString::fromStdString(s);
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        }
        running_ = false;
        QMetaObject::invokeMethod(
            this, [this, statuses, error] { emit finished(statuses, error); },
            Qt::QueuedConnection);
    });
    return true;
}

void SweepRunner::cancel() {
    cancel_ = true;
}

SweepProgress SweepRunner::progress() const {
    SweepProgress p;
    p.active = running_;
    std::lock_guard<std::mutex> lock(mu_);
    double done = 0, total = 0;
    int64_t current = 0;
    int current_epoch = 0, current_planned = 0;
    for (const auto& [run, s] : state_) {
        total += s.planned;
        done += s.ended ? s.planned : std::min<double>(s.planned, s.epoch + s.within);
        p.runs_ended += s.ended;
        if (!s.ended && (s.epoch > 0 || s.within > 0) && !current) {
            current = run;
            current_epoch = s.epoch + 1;
            current_planned = s.planned;
        }
    }
    p.runs_total = int(state_.size());
    p.fraction = total > 0 ? done / total : 0;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    if (p.fraction > 0.01) p.eta_seconds = elapsed * (1 - p.fraction) / p.fraction;
    p.text = current ? QString("run %1 · epoch %2/%3 · %4 of %5 runs done")
                           .arg(current)
                           .arg(current_epoch)
                           .arg(current_planned)
                           .arg(p.runs_ended)
                           .arg(p.runs_total)
                     : QString("%1 of %2 runs done").arg(p.runs_ended).arg(p.runs_total);
    return p;
}

}  // namespace hgq::gui
