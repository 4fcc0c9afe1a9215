// SPDX-License-Identifier: GPL-3.0-or-later
#include "sweep_runner.h"

#include <QMetaObject>

#include <algorithm>

#include "jobs/run_job.h"
#include "jobs/thread_choice.h"

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
    rate_samples_.clear();
    plan_.clear();
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
            int workers = std::clamp(parallel, 1, std::max(1, int(runs.size())));
            int threads = std::max(1, cores / workers);
            if (!configs.empty()) {
                data = load_experiment_data(configs.front(), opt.resources_dir);
                opt.data = &data;
                if (threads > 1) {
                    setPlan(tr("measuring training speed (1 and %1 threads)…").arg(threads));
                    const jobs::ThreadChoice c = jobs::choose_threads(configs.front(), data, threads);
                    const int tried = threads;
                    threads = c.threads;
                    // The user's worker count stands; a core one thread leaves idle is said.
                    setPlan(tr("%1 run(s) at a time × %2 thread(s) (measured: 1 thread %3, %4 "
                               "threads %5 samples/s)%6")
                                .arg(workers)
                                .arg(threads)
                                .arg(c.single, 0, 'f', 0)
                                .arg(tried)
                                .arg(c.multi, 0, 'f', 0)
                                .arg(workers * threads < cores && int(runs.size()) > workers
                                         ? tr(" — more parallel workers would use the idle cores")
                                         : QString()));
                }
            }
            for (const auto& s : jobs::run_jobs(study.toStdString(), runs, workers,
                                                workers * threads, opt, hooks, inputs))
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

void SweepRunner::setPlan(const QString& text) {
    std::lock_guard<std::mutex> lock(mu_);
    plan_ = text;
}

// The remaining epochs at the rate of the last ~10 s: the time since the start would count
// loading the data and measuring thread speed, and a rate from the first epochs, which pay for
// allocations, made a 12 s sweep show "ETA 14 min".
double SweepRunner::etaSeconds(double done, double total) const {
    const auto now = std::chrono::steady_clock::now();
    rate_samples_.push_back({now, done});
    while (rate_samples_.size() > 2 &&
           std::chrono::duration<double>(now - rate_samples_[1].first).count() > 10)
        rate_samples_.pop_front();
    const auto& [t0, done0] = rate_samples_.front();
    const double seconds = std::chrono::duration<double>(now - t0).count();
    if (seconds < 1 || done <= done0) return -1;
    return (total - done) * seconds / (done - done0);
}

SweepProgress SweepRunner::progress() const {
    SweepProgress p;
    p.active = running_;
    std::lock_guard<std::mutex> lock(mu_);
    double done = 0, total = 0;
    QStringList training;
    for (const auto& [run, s] : state_) {
        total += s.planned;
        done += s.ended ? s.planned : std::min<double>(s.planned, s.epoch + s.within);
        p.runs_ended += s.ended;
        if (!s.ended && (s.epoch > 0 || s.within > 0))
            training << tr("run %1: epoch %2/%3").arg(run).arg(s.epoch + 1).arg(s.planned);
    }
    p.runs_total = int(state_.size());
    p.fraction = total > 0 ? done / total : 0;
    p.eta_seconds = etaSeconds(done, total);
    // Every run training now is named (two workers: two runs), at most 4 then a count.
    if (training.size() > 4) training = training.mid(0, 4) << tr("+%1 more").arg(training.size() - 4);
    const QString ended = tr("%1 of %2 runs done").arg(p.runs_ended).arg(p.runs_total);
    p.text = training.isEmpty() ? (plan_.isEmpty() ? ended : plan_ + " · " + ended)
                                : training.join(" · ") + " · " + ended;
    p.plan = plan_;
    return p;
}

}  // namespace hgq::gui
