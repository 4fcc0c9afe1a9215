// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/run_job.h"

#include <algorithm>
#include <mutex>
#include <optional>
#include <thread>

#include "core/error.h"
#include "jobs/convert.h"
#include "jobs/front.h"
#include "store/epoch_writer.h"

namespace hgq::jobs {

Model build_run_model(const ExperimentConfig& cfg, const Splits& s) {
    try {
        return Model(cfg.model, s.train.sample_shape, s.train.n_classes, cfg.training.seed);
    } catch (const Error& e) {
        throw Error(e.kind(), cfg.file + ": field '" + e.where() + "'", e.message(), e.hint());
    }
}

void check_same_data(const std::string& study_path, const store::RunRecord& run,
                     const Splits& data) {
    if (run.data_hash.empty() || run.data_hash == data.fingerprint) return;
    throw Error::bad_input(study_path + ": run " + std::to_string(run.id),
                           "its data changed since it trained: fingerprint " + run.data_hash +
                               " then, " + data.fingerprint + " now (" +
                               run.config.value("/data"_json_pointer, nlohmann::json()).dump() +
                               ")",
                           "restore the data file the run was trained on");
}

namespace {

// Trains to the end (or to a cancel), storing each epoch; returns false when cancelled.
bool train_stored(store::Study& study, const store::RunRecord& run, const ExperimentConfig& cfg,
                  const Splits& data, Model& model, const RunOptions& opt, const RunHooks& hooks) {
    const auto resume = study.resume_state(run.id);  // read before the writer owns the study
    // Without a resume state (stopped before its first one) the run starts over.
    study.rewind(run.id, resume ? resume->epochs_done : 0);
    const auto resume_front =
        resume ? to_checkpoints(study.front_checkpoints(run.id)) : std::vector<Checkpoint>{};
    store::EpochWriter writer(study, run.id, [&](const store::EpochRecord& m, bool resume_state) {
        if (hooks.on_epoch) hooks.on_epoch(run.id, to_metrics(m));
        if (resume_state && hooks.on_resume_state) hooks.on_resume_state(run.id, m.epoch);
    });
    TrainCallbacks cb;
    cb.on_epoch_state = [&](const EpochMetrics& m, const ResumeState* st,
                            const nlohmann::json* kept, const std::vector<int>& front) {
        const std::optional<store::ResumeRecord> state =
            st ? std::optional(to_record(*st)) : std::nullopt;
        writer.push(to_record(m), state ? &*state : nullptr, kept, front,
                    st ? st->build_seconds : 0);
    };
    if (hooks.on_progress)
        cb.on_progress = [&](int epoch, int64_t done, int64_t total) {
            hooks.on_progress(run.id, epoch, done, total);
        };
    TrainOptions to = cfg.training;
    to.threads = opt.threads;
    Trainer trainer(model, data, to, cb, opt.cancel);
    if (resume) trainer.resume_from(to_state(*resume), resume_front);
    TrainResult result;
    try {
        result = trainer.run();
    } catch (...) {
        writer.finish();  // keep every epoch finished before the failure
        throw;
    }
    writer.finish();
    return !result.cancelled;
}

std::string execute(store::Study& study, const store::RunRecord& run, const RunOptions& opt,
                    const RunHooks& hooks, RunInputs in) {
    std::optional<ExperimentConfig> own_config;
    if (!in.config) in.config = &own_config.emplace(parse_experiment(run.config, run.config_file));
    const ExperimentConfig& cfg = *in.config;
    Splits own_data;
    if (!opt.data) own_data = load_experiment_data(cfg, opt.resources_dir);
    const Splits& data = opt.data ? *opt.data : own_data;
    std::optional<Model> own_model;
    if (!in.model) in.model = &own_model.emplace(build_run_model(cfg, data));
    study.mark_running(run.id, data.fingerprint);
    const bool finished = train_stored(study, run, cfg, data, *in.model, opt, hooks);
    // A cancelled run's front so far is deployed too: the user keeps what finished.
    if (hooks.on_deploying) hooks.on_deploying(run.id);
    DeployOptions dep;
    dep.threads = opt.threads;
    // The front as stored: after a resume it includes the epochs trained before the stop.
    study.record_points(run.id,
                        evaluate_front(*in.model, study.front_checkpoints(run.id), data, dep));
    return finished ? "done" : "cancelled";
}

}  // namespace

std::string run_job(store::Study& study, int64_t run_id, const RunOptions& opt,
                    const RunHooks& hooks, RunInputs inputs) {
    const store::RunRecord run = study.run(run_id);
    if (run.status == "done" || run.status == "running" || run.status == "imported")
        throw Error::bad_input(study.path() + ": run " + std::to_string(run_id),
                               "is " + run.status + ", nothing to continue",
                               "resume a queued, interrupted, cancelled or failed run");
    // A run continues on the data it started on, or not at all (its status stays as it is).
    std::optional<ExperimentConfig> own_config;
    Splits own_data;
    RunOptions o = opt;
    if (!run.data_hash.empty()) {
        if (!inputs.config)
            inputs.config = &own_config.emplace(parse_experiment(run.config, run.config_file));
        if (!o.data) o.data = &(own_data = load_experiment_data(*inputs.config, opt.resources_dir));
        check_same_data(study.path(), run, *o.data);
    }
    std::string status, error;
    try {
        status = execute(study, run, o, hooks, inputs);
    } catch (const Error& e) {
        if (e.where() == study.path()) {
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
    if (hooks.on_end) hooks.on_end(run_id, status, error);
    return status;
}

std::vector<std::string> run_jobs(const std::string& study_path, const std::vector<int64_t>& runs,
                                  int parallel, int cores, RunOptions opt, const RunHooks& hooks,
                                  const std::vector<RunInputs>& inputs) {
    const int workers = std::clamp(parallel, 1, std::max<int>(1, int(runs.size())));
    opt.threads = std::max(1, cores / workers);
    std::vector<std::string> statuses(runs.size());
    std::atomic<size_t> next{0};
    std::exception_ptr first_error;
    std::mutex error_mutex;
    auto worker = [&] {
        std::optional<store::Study> study;  // this worker's own connection
        for (size_t i; (i = next.fetch_add(1)) < runs.size();) {
            if (opt.cancel && opt.cancel->load()) {
                // Never started: said so (a run left "queued" looks as if it will still run);
                // hgq resume trains it later like any cancelled run.
                statuses[i] = "queued";
                try {
                    if (!study) study.emplace(study_path, store::Study::Open::Existing);
                    study->finish_run(runs[i], "cancelled", "cancelled before it started");
                    statuses[i] = "cancelled";
                } catch (const std::exception&) {
                    // the study cannot take it now: the run stays queued, still resumable
                }
                continue;
            }
            try {
                if (!study) study.emplace(study_path, store::Study::Open::Existing);
                statuses[i] =
                    run_job(*study, runs[i], opt, hooks, i < inputs.size() ? inputs[i] : RunInputs{});
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

}  // namespace hgq::jobs
