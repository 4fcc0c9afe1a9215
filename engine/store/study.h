// SPDX-License-Identifier: GPL-3.0-or-later
// A study: one SQLite file holding sweeps, runs, epochs, checkpoints, points and exports
// (design §5). Every writer and reader opens its own Study (one connection per thread); WAL lets
// readers see committed epochs while runs write. Each epoch is one transaction, so a crash or
// kill loses at most the epoch in flight.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/records.h"
#include "store/sqlite_db.h"

namespace hgq::store {

inline constexpr int kSchemaVersion = 6;
inline constexpr int64_t kApplicationId = 0x48475153;  // "HGQS" in PRAGMA application_id

class Study {
  public:
    enum class Open { CreateIfMissing, Existing, ReadOnly };
    Study(const std::string& path, Open how);
    const std::string& path() const { return db_->path(); }
    Db& db() { return *db_; }

    // ---- writing (one transaction each) ----
    int64_t create_sweep(const std::string& name, const nlohmann::json& spec);
    int64_t create_run(int64_t sweep_id, const std::string& name, const nlohmann::json& config,
                       const std::string& config_file, uint64_t seed, int epochs_planned);
    // A sweep (none when `sweep_name` is empty: sweep id 0) and its runs, queued, in one
    // transaction: {sweep id, run ids}.
    std::pair<int64_t, std::vector<int64_t>> create_sweep_runs(const std::string& sweep_name,
                                                               const nlohmann::json& spec,
                                                               const std::vector<NewRun>& runs);
    // owner := this process, status := running; the run's data fingerprint is kept from its
    // first start on (a resume must train on the same data).
    void mark_running(int64_t run, const std::string& data_hash = {});
    void finish_run(int64_t run, const std::string& status, const std::string& error = {});
    // The epoch's metrics, the run's resume state, and the Pareto front's change, atomically.
    // store_seconds: time the caller spent storing (snapshot and the previous epoch's write).
    // `state` (null: none due) replaces the resume checkpoint; `kept` is stored as a front
    // checkpoint; checkpoints of epochs that left the front are removed.
    void record_epoch(int64_t run, const EpochRecord& m, const ResumeRecord* state,
                      const nlohmann::json* kept, const std::vector<int>& front_epochs,
                      double store_seconds = 0);
    // Before a resume from `epochs_done`: drops epochs and front checkpoints after it, which the
    // resumed run recomputes (identically: the run is deterministic).
    void rewind(int64_t run, int epochs_done);
    // Replaces the run's points (a resumed run redoes them); each joins its front checkpoint by
    // epoch. Returns the new ids.
    std::vector<int64_t> record_points(int64_t run, const std::vector<PointRecord>& points);
    // A derived point (p.parent_id, p.edits set): the parent's run and checkpoint, rank 0 (it is
    // in no run's training front). Returns its id.
    int64_t record_derived_point(const PointRecord& p);
    int64_t record_export(int64_t point, const std::string& format, const std::string& path,
                          const nlohmann::json& details, int verified = -1);
    int64_t record_synthesis(const SynthRecord& r);
    // Runs left `running` by a process that no longer exists become `interrupted`.
    int mark_orphans_interrupted();

    // ---- sweeps on a cluster (schema v4) ----
    // Task i of the sweep runs runs[i]; its shards are published in `folder`.
    void add_cluster_tasks(int64_t sweep, const std::string& folder,
                           const std::vector<int64_t>& runs);
    // The job that runs these tasks now; the owner of their runs becomes "slurm:JOB_TASK".
    void set_task_job(int64_t sweep, const std::vector<int>& tasks, const std::string& job_id);
    void set_task_state(int64_t sweep, int task, const std::string& state);
    // Replaces every row of run `run` (its epochs, checkpoints, points and status) by those of
    // run `shard_run` in the shard study at `shard_path` (a local copy, already checked), and
    // records `stamp` as the task's last merged snapshot: one transaction.
    void replace_run_from_shard(const std::string& shard_path, int64_t shard_run, int64_t run,
                                int64_t sweep, int task, const std::string& stamp);
    // A consistent copy of the whole study in a new file `dest` (SQLite's backup API), in
    // rollback-journal mode so it reads without -wal or -shm files.
    void backup_to(const std::string& dest);

    // ---- reading ----
    std::vector<SweepRecord> sweeps();
    std::vector<RunRecord> runs(int64_t sweep = -1);
    RunRecord run(int64_t id);
    std::vector<EpochRecord> epochs(int64_t run);
    std::vector<CheckpointRecord> front_checkpoints(int64_t run);  // parameters included
    // The same without parameters (cheap), with each checkpoint's id: a live view of a running
    // run's front.
    std::vector<std::pair<int64_t, CheckpointRecord>> front_metrics(int64_t run);
    std::optional<ResumeRecord> resume_state(int64_t run);
    // with_report = false skips the per-layer JSON: what a plot needs, fast for many points.
    std::vector<PointRecord> points(int64_t run = -1, bool with_report = true);
    // PRAGMA data_version: changes whenever another connection commits (cheap change polling).
    int64_t data_version();
    PointRecord point(int64_t id);
    nlohmann::json point_snapshot(int64_t point_id);  // the point's model parameters
    // The latest synthesis of every synthesized point and family (of one run, or of all with
    // -1; of one family, or of all with ""), by point id. Empty for a version-1 study opened
    // read-only (it has no such table yet).
    // The newest synthesis of each point, family and adder mode ("" : any family / mode).
    std::vector<SynthRecord> syntheses(int64_t run = -1, const std::string& family = {},
                                       const std::string& adder_mode = {});
    // Cluster tasks of one sweep (or of all with -1), by sweep and task.
    std::vector<ClusterTaskRecord> cluster_tasks(int64_t sweep = -1);
    int64_t schema_version() const { return schema_version_; }

  private:
    int64_t read_header(bool reader);  // the schema version, after the application id check
    void migrate();
    std::unique_ptr<Db> db_;
    int64_t schema_version_ = kSchemaVersion;
};

// Whether a writer could open the study: the file (if it exists) and its folder are writable.
bool study_is_writable(const std::string& path);

// Throws (naming the table or column) unless every table and column of schema `version` exists.
void check_schema(Db& db, int64_t version);

// The family with the most synthesized points ("" if none): what one LUT axis or one fit shows,
// as LUT counts of different families do not mix.
std::string main_synth_family(const std::vector<SynthRecord>& all);
// The adder mode with the most syntheses of `family` (a calibration is one family and one mode).
std::string main_synth_mode(const std::vector<SynthRecord>& all, const std::string& family);

// One process's identity for runs.owner: "host:pid:start-time" (the start time tells a reused
// pid from the original process).
std::string process_owner();
bool owner_alive(const std::string& owner);
std::string now_iso8601();

}  // namespace hgq::store
