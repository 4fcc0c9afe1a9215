// SPDX-License-Identifier: GPL-3.0-or-later
// Runs a sweep's runs (or resumes runs) off the GUI thread. The engine's worker pool writes
// every epoch to the study; this object only keeps a small progress record the window polls
// (no signal per batch), and reports the end with one queued signal.
#pragma once
#include <QObject>
#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "config/experiment.h"

namespace hgq::gui {

struct SweepProgress {
    bool active = false;
    double fraction = 0;      // 0..1 over all epochs of all runs
    double eta_seconds = -1;  // -1: not known yet
    int runs_total = 0, runs_ended = 0;
    QString text;  // "run 3: epoch 12/80 · run 4: epoch 40/80 · 2 of 5 runs done"
    QString plan;  // "2 run(s) at a time × 1 thread(s) (measured: …)"
};

class SweepRunner : public QObject {
    Q_OBJECT
  public:
    explicit SweepRunner(QObject* parent = nullptr);
    ~SweepRunner() override;  // cancels and joins

    // Runs `runs` of the study (queued ones from the start, interrupted ones from their last
    // resume state) with `parallel` workers sharing `cores`. `configs`: the runs' parsed configs
    // when the caller has them (a new sweep; they differ in β only, so the worker loads the
    // first one's data once for all); empty: each run parses its own and loads its own data.
    // With configs and more than one core per worker, the threads per run are measured
    // (jobs::choose_threads): if one thread trains as fast, every core runs a run of its own.
    // Returns false if a sweep is already running.
    bool start(const QString& study, const std::vector<int64_t>& runs,
               std::map<int64_t, int> epochs_planned, int parallel, int cores,
               std::vector<ExperimentConfig> configs, const QString& resources);
    void cancel();
    bool running() const { return running_; }
    SweepProgress progress() const;

  signals:
    void finished(QStringList statuses, QString error);

  private:
    struct RunState {
        int epoch = 0, planned = 1;
        double within = 0;  // fraction of the current epoch
        bool ended = false;
    };
    std::thread worker_;
    std::atomic<bool> cancel_{false};
    std::atomic<bool> running_{false};
    mutable std::mutex mu_;
    std::map<int64_t, RunState> state_;
    QString plan_;  // how the cores are shared, once measured
    mutable std::deque<std::pair<std::chrono::steady_clock::time_point, double>> rate_samples_;
    void setPlan(const QString& text);
    double etaSeconds(double done, double total) const;  // needs mu_ held
    std::chrono::steady_clock::time_point started_;
};

}  // namespace hgq::gui
