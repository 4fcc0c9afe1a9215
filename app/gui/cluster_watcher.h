// SPDX-License-Identifier: GPL-3.0-or-later
// A sweep on a SLURM cluster, seen from the app: submitted (sbatch) and then collected in a
// worker thread every second — each task's published snapshots merged into the study, so the
// Pareto front grows as shards arrive — until every task has ended. The window polls a small
// progress record; Cancel scancels the array. The cluster runs on if the app closes; opening the
// study again resumes watching.
#pragma once
#include <QObject>
#include <atomic>
#include <mutex>
#include <thread>

#include "sweep_setup.h"

namespace hgq::gui {

struct ClusterProgress {
    bool active = false;
    qint64 sweep = 0;
    QString job;
    int tasks = 0, ended = 0;
    double fraction = 0;  // epochs collected over epochs planned
    QString text;         // "SLURM job 17: 2 running · 1 pending · 1 completed"
};

class ClusterWatcher : public QObject {
    Q_OBJECT
  public:
    explicit ClusterWatcher(QObject* parent = nullptr);
    ~ClusterWatcher() override;  // stops watching (the tasks go on) and joins

    // Submits `req` (req.cluster) as a job array, then watches it. False if already active.
    bool submit(const QString& study, SweepRequest req, const QString& hgq);
    // Watches a sweep submitted earlier.
    bool watch(const QString& study, qint64 sweep);
    void stop();    // stop watching; the cluster keeps running
    void cancel();  // scancel the array; watching goes on until the tasks ended
    bool active() const { return active_; }
    ClusterProgress progress() const;

  signals:
    void finished(QString error);

  private:
    void start(const QString& study, std::function<qint64(store::Study&)> begin);
    void loop(store::Study& study, qint64 sweep);
    std::thread worker_;
    std::atomic<bool> active_{false}, stop_{false}, cancel_{false};
    mutable std::mutex mu_;
    ClusterProgress progress_;
};

// The hgq binary the cluster tasks run: beside this app, else on PATH ("" if none).
QString hgq_binary_for_tasks();

}  // namespace hgq::gui
