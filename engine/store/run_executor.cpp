// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/run_executor.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>

#include "config/experiment.h"
#include "core/error.h"
#include "store/epoch_writer.h"
#include "train/points.h"

namespace hgq::store {
Model build_run_model(const ExperimentConfig& cfg, const Splits& s) {
    try {
        return Model(cfg.model, s.train.sample_shape, s.train.n_classes, cfg.training.seed);
    } catch (const Error& e) {
        throw Error(e.kind(), cfg.file + ": field '" + e.where() + "'", e.message(), e.hint());
    }
}

namespace {

// Trains to the end (or to a cancel), storing each epoch; returns false when cancelled.
bool train_stored(Study& study, const RunRecord& run, const ExperimentConfig& cfg,
                  const Splits& data, Model& model, const ExecOptions& opt, const RunEvents& events,
                  TrainResult& result) {
    const auto resume = study.resume_state(run.id);  // read before the writer owns the study
    if (resume)
        study.rewind(run.id, resume->epochs_done);
    else
        study.rewind(run.id, 0);  // stopped before its first resume state: start over
    const auto resume_front = resume ? study.front_checkpoints(run.id) : std::vector<Checkpoint>{};
    EpochWriter writer(study, run.id, [&](const EpochMetrics& m) {
        if (events.on_epoch) events.on_epoch(run.id, m);
    });
    TrainCallbacks cb;
    cb.on_epoch_state = [&](const EpochMetrics& m, const ResumeState* st,
                            const nlohmann::json* kept,
                            const std::vector<int>& front) { writer.push(m, st, kept, front); };
    if (events.on_progress)
        cb.on_progress = [&](int epoch, int64_t done, int64_t total) {
            events.on_progress(run.id, epoch, done, total);
        };
    TrainOptions to = cfg.training;
    to.threads = opt.threads;
    Trainer trainer(model, data, to, cb, opt.cancel);
    if (resume) trainer.resume_from(*resume, resume_front);
    try {
        result = trainer.run();
    } catch (...) {
        writer.finish();  // keep every epoch finished before the failure
        throw;
    }
    writer.finish();
    return !result.cancelled;
}

std::string execute(Study& study, const RunRecord& run, const ExecOptions& opt,
                    const RunEvents& events) {
    const ExperimentConfig cfg = parse_experiment(run.config, run.config_file);
    Splits own;
    if (!opt.data) own = load_experiment_data(cfg, opt.resources_dir);
    const Splits& data = opt.data ? *opt.data : own;
    Model model = build_run_model(cfg, data);
    study.mark_running(run.id, data.fingerprint);
    TrainResult result;
    const bool finished = train_stored(study, run, cfg, data, model, opt, events, result);
    // A cancelled run's front so far is deployed too: the user keeps what finished.
    if (events.on_deploying) events.on_deploying(run.id);
    DeployOptions dep;
    dep.threads = opt.threads;
    // The front as stored: after a resume it includes the epochs trained before the stop.
    study.record_points(run.id, evaluate_front(model, study.front_checkpoints(run.id), data, dep));
    return finished ? "done" : "cancelled";
}

}  // namespace

void check_same_data(const std::string& study_path, const RunRecord& run, const Splits& data) {
    if (run.data_hash.empty() || run.data_hash == data.fingerprint) return;
    throw Error::bad_input(study_path + ": run " + std::to_string(run.id),
                           "its data changed since it trained: fingerprint " + run.data_hash +
                               " then, " + data.fingerprint + " now (" +
                               run.config.value("/data"_json_pointer, nlohmann::json()).dump() +
                               ")",
                           "restore the data file the run was trained on");
}

std::string execute_run(const std::string& study_path, int64_t run_id, const ExecOptions& opt,
                        const RunEvents& events) {
    Study study(study_path, Study::Open::Existing);
    const RunRecord run = study.run(run_id);
    if (run.status == "done" || run.status == "running" || run.status == "imported")
        throw Error::bad_input(study_path + ": run " + std::to_string(run_id),
                               "is " + run.status + ", nothing to continue",
                               "resume a queued, interrupted, cancelled or failed run");
    // A run continues on the data it started on, or not at all (its status stays as it is).
    Splits own;
    ExecOptions o = opt;
    if (!run.data_hash.empty()) {
        if (!o.data) {
            own = load_experiment_data(parse_experiment(run.config, run.config_file),
                                       opt.resources_dir);
            o.data = &own;
        }
        check_same_data(study_path, run, *o.data);
    }
    std::string status, error;
    try {
        status = execute(study, run, o, events);
    } catch (const Error& e) {
        if (e.where() == study_path) {
            // The study itself failed (damaged, disk full): record the failure if it still can,
            // so the run is not later mistaken for one whose process crashed.
            try {
                study.finish_run(run_id, "failed", e.what());
            } catch (const std::exception&) {
            }
            throw;
        }
        status = "failed";
        error = e.what();
    } catch (const std::exception& e) {
        status = "failed";
        error = e.what();
    }
    study.finish_run(run_id, status, error);
    if (events.on_end) events.on_end(run_id, status, error);
    return status;
}

std::vector<std::string> execute_runs(const std::string& study_path,
                                      const std::vector<int64_t>& runs, int parallel, int cores,
                                      ExecOptions opt, const RunEvents& events) {
    const int workers = std::clamp(parallel, 1, std::max<int>(1, int(runs.size())));
    opt.threads = std::max(1, cores / workers);
    std::vector<std::string> statuses(runs.size());
    std::atomic<size_t> next{0};
    std::exception_ptr first_error;
    std::mutex error_mutex;
    auto worker = [&] {
        for (size_t i; (i = next.fetch_add(1)) < runs.size();) {
            if (opt.cancel && opt.cancel->load()) {
                statuses[i] = "queued";  // never started: stays queued, can run later
                continue;
            }
            try {
                statuses[i] = execute_run(study_path, runs[i], opt, events);
            } catch (...) {
                std::lock_guard<std::mutex> lock(error_mutex);
                if (!first_error) first_error = std::current_exception();
                statuses[i] = "failed";
            }
        }
    };
    std::vector<std::thread> pool;
    for (int w = 0; w < workers; ++w) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
    if (first_error) std::rethrow_exception(first_error);
    return statuses;
}

}  // namespace hgq::store
