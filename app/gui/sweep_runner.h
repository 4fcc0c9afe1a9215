// SPDX-License-Identifier: GPL-3.0-or-later
// Runs a sweep's runs (or resumes runs) off the GUI thread. The engine's worker pool writes
// every epoch to the study; this object only keeps a small progress record the window polls
// (no signal per batch), and reports the end with one queued signal.
#pragma once
#include <QObject>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include <optional>

#include "config/experiment.h"

namespace hgq::gui {

struct SweepProgress {
    bool active = false;
    double fraction = 0;      // 0..1 over all epochs of all runs
    double eta_seconds = -1;  // -1: not known yet
    int runs_total = 0, runs_ended = 0;
    QString text;  // "run 3 · epoch 12/80 · 2 of 5 runs done"
};

class SweepRunner : public QObject {
    Q_OBJECT
  public:
    explicit SweepRunner(QObject* parent = nullptr);
    ~SweepRunner() override;  // cancels and joins

    // Runs `runs` of the study (queued ones from the start, interrupted ones from their last
    // resume state) with `parallel` workers sharing `cores`. With `shared_data`, the worker
    // loads that config's data once for all runs (the runs of one sweep share it); otherwise
    // each run loads its own. Returns false if a sweep is already running.
    bool start(const QString& study, const std::vector<int64_t>& runs,
               std::map<int64_t, int> epochs_planned, int parallel, int cores,
               std::optional<ExperimentConfig> shared_data, const QString& resources);
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
    std::chrono::steady_clock::time_point started_;
};

}  // namespace hgq::gui
