// SPDX-License-Identifier: GPL-3.0-or-later
#include "cluster_watcher.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QMap>
#include <QMetaObject>
#include <QStandardPaths>
#include <chrono>

#include "jobs/cluster_job.h"

namespace hgq::gui {

QString hgq_binary_for_tasks() {
    const QString beside = QCoreApplication::applicationDirPath() + "/hgq";
    if (QFileInfo(beside).isExecutable()) return beside;
    return QStandardPaths::findExecutable("hgq");
}

ClusterWatcher::ClusterWatcher(QObject* parent) : QObject(parent) {}

ClusterWatcher::~ClusterWatcher() {
    stop();
}

void ClusterWatcher::stop() {
    stop_ = true;
    if (worker_.joinable()) worker_.join();
}

void ClusterWatcher::cancel() {
    cancel_ = true;
}

ClusterProgress ClusterWatcher::progress() const {
    std::lock_guard<std::mutex> lock(mu_);
    return progress_;
}

bool ClusterWatcher::submit(const QString& study, SweepRequest req, const QString& hgq) {
    if (active_) return false;
    start(study, [req = std::move(req), hgq](store::Study& s) {
        jobs::ClusterOptions opt;
        opt.sbatch = req.sbatch;
        opt.hgq = hgq.toStdString();
        return qint64(jobs::submit_sweep(s, req.plan, req.base, opt).sweep);
    });
    return true;
}

bool ClusterWatcher::watch(const QString& study, qint64 sweep) {
    if (active_) return false;
    start(study, [sweep](store::Study&) { return sweep; });
    return true;
}

void ClusterWatcher::start(const QString& study, std::function<qint64(store::Study&)> begin) {
    if (worker_.joinable()) worker_.join();
    stop_ = cancel_ = false;
    active_ = true;
    {
        std::lock_guard<std::mutex> lock(mu_);
        progress_ = ClusterProgress{true, 0, {}, 0, 0, 0, tr("submitting to SLURM…")};
    }
    worker_ = std::thread([this, path = study.toStdString(), begin = std::move(begin)] {
        QString error;
        try {
            store::Study s(path, store::Study::Open::Existing);  // this thread's connection
            loop(s, begin(s));
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        }
        active_ = false;
        {
            std::lock_guard<std::mutex> lock(mu_);
            progress_.active = false;
        }
        QMetaObject::invokeMethod(
            this, [this, error] { emit finished(error); }, Qt::QueuedConnection);
    });
}

void ClusterWatcher::loop(store::Study& study, qint64 sweep) {
    bool cancelled = false;
    while (!stop_) {
        if (cancel_ && !cancelled) {
            jobs::cancel_sweep(study, sweep);
            cancelled = true;
        }
        const jobs::CollectResult r = jobs::collect(study, sweep);
        ClusterProgress p{true, sweep, {}, int(r.tasks.size()), 0, 0, {}};
        QMap<QString, int> states;
        double done = 0, planned = 0;
        for (const auto& t : r.tasks) {
            p.job = QString::fromStdString(t.task.job_id);
            p.ended += cluster::ended(t.task.state);
            ++states[t.task.state.empty() ? "PENDING" : QString::fromStdString(t.task.state)];
            done += t.run.epochs_done;
            planned += std::max(1, t.run.epochs_planned);
        }
        p.fraction = planned > 0 ? done / planned : 0;
        QStringList parts;
        for (auto it = states.begin(); it != states.end(); ++it)
            parts << QString("%1 %2").arg(it.value()).arg(it.key().toLower());
        p.text = tr("SLURM job %1: %2").arg(p.job, parts.join(" · "));
        {
            std::lock_guard<std::mutex> lock(mu_);
            progress_ = p;
        }
        if (r.all_ended) return;
        for (int i = 0; i < 10 && !stop_ && !(cancel_ && !cancelled); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

}  // namespace hgq::gui
