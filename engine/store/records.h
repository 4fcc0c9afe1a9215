// SPDX-License-Identifier: GPL-3.0-or-later
// The rows a study keeps, as the store's own types: the store knows nothing of the trainer, the
// deployment or the exporters (engine/jobs converts between them and these).
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace hgq::store {

struct SweepRecord {
    int64_t id = 0;
    std::string name, created;
    nlohmann::json spec;  // the grid: betas or seeds, parallel workers
};

struct RunRecord {
    int64_t id = 0, sweep_id = 0;  // sweep 0: a single `hgq train` run
    std::string name, status, error, owner, config_file, created, started, finished;
    nlohmann::json config;  // the experiment config as run (overrides applied)
    std::string data_hash;  // fingerprint of the data it trained on ("": not started yet)
    uint64_t seed = 0;
    int epochs_planned = 0, epochs_done = 0;
    double train_seconds = 0;  // Σ epoch times (training + validation)
    double store_seconds = 0;  // Σ time spent writing epochs and checkpoints to the study
    int n_points = 0;
};

// A run to create (queued).
struct NewRun {
    std::string name;
    nlohmann::json config;
    std::string config_file;
    uint64_t seed = 0;
    int epochs_planned = 0;
};

// One epoch's metrics (the `epochs` table).
struct EpochRecord {
    int epoch = 0;  // 1-based
    double loss = 0, cross_entropy = 0, train_accuracy = 0;
    double val_loss = 0, val_accuracy = 0;
    double ebops = 0;  // training-form EBOPs after the epoch
    double beta = 0, lr = 0;
    double seconds = 0, samples_per_second = 0;
    bool kept = false;  // entered the run's Pareto front
};

// A front checkpoint: the epoch's metrics and the model's parameters (empty when only the
// metrics were read).
struct CheckpointRecord {
    int epoch = 0;
    double val_accuracy = 0, val_loss = 0, ebops = 0, beta = 0;
    nlohmann::json params;
};

// A run's resume state: parameters, optimizer moments and steps after `epochs_done` epochs.
struct ResumeRecord {
    int epochs_done = 0;
    nlohmann::json params, optimizer;
    int64_t adam_steps = 0;
};

// A deployed point (the `points` table).
struct PointRecord {
    int64_t id = 0, run_id = 0, checkpoint_id = 0;  // checkpoint 0: imported, no model kept
    int rank = 0;                                   // 1-based place in its run's front by EBOPs
    int epoch = 0;
    double beta = 0, val_accuracy = 0;
    double test_accuracy = 0;        // of the bit-exact integer model
    double test_accuracy_float = 0;  // of the quantized model in floating point
    double ebops_train = 0;          // training-form estimate the tracker ranked on
    int64_t ebops_exact = 0;
    double lut_estimate = 0;
    int adder_levels = 0;
    double agreement = 0;    // share of test argmaxes the integer and float models agree on
    nlohmann::json report;   // per-layer bits, types, trace diff (empty: not read)
    // A derived point (schema v6, `hgq whatif --save`): the trained point it was derived from and
    // the bit edits applied to it (a JSON array, deploy/whatif.h). parent_id 0: a trained point.
    int64_t parent_id = 0;
    nlohmann::json edits = nlohmann::json::array();
    bool derived() const { return parent_id != 0; }
};

// One open-tool synthesis of a point's Verilog export (schema v2): what the FPGA really costs.
struct SynthRecord {
    int64_t id = 0, point_id = 0;
    std::string tool, family, top, export_dir, created;  // tool: "Yosys 0.23 (…)"
    std::string adder_mode = "unshared";                 // "shared" / "unshared" adders (schema v5)
    int64_t luts = 0;   // LUT1–6 plus INV (an inverter is a LUT1 in the fabric)
    int64_t carry = 0;  // CARRY4/CARRY8 cells
    int64_t ff = 0;     // FDRE/FDSE/FDCE/FDPE
    int64_t muxf = 0;   // MUXF7/8/9 (wide functions)
    int64_t cells = 0;  // every cell, I/O buffers included
    double seconds = 0;
    nlohmann::json cells_by_type = nlohmann::json::object();
    // From the point, for calibration plots.
    int64_t run_id = 0, ebops_exact = 0;
    double test_accuracy = 0;
};

// A task of a sweep run as a SLURM job array (schema v4).
struct ClusterTaskRecord {
    int64_t sweep_id = 0;
    int task = 0;  // index in the array (and in the job folder's manifest)
    int64_t run_id = 0;
    std::string folder;       // the job folder: STUDY.shards/sweep-S
    std::string job_id;       // the array job that ran it last; "" before it was submitted
    std::string state;        // the scheduler's last word: PENDING, RUNNING, COMPLETED, TIMEOUT…
    std::string shard_stamp;  // size and time of the last snapshot merged ("" none yet)
    std::string collected;    // when it was merged
};

}  // namespace hgq::store
