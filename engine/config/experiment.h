// SPDX-License-Identifier: GPL-3.0-or-later
// The experiment config (design §3): data, split, model, quantization, training and β schedule.
// Parsing is strict: unknown fields, wrong types and out-of-range values are errors naming the
// file and the field.
#pragma once
#include <string>

#include "data/dataset.h"
#include "nn/model.h"
#include "train/trainer.h"

namespace hgq {

struct DataConfig {
    std::string source;  // digits | fashion-mnist | idx | csv | arff | npy
    // Files, resolved against the config's folder. idx: path/labels (+ test_path/test_labels);
    // csv/arff: path; npy: path (x) and labels (y); fashion-mnist: dir.
    std::string path, labels, test_path, test_labels, dir;
    std::string label_column;
    bool header = true;
    std::vector<std::string> label_order;
    int64_t limit = 0;  // > 0: use only the first `limit` rows (quick looks at large files)
};

struct ExperimentConfig {
    std::string file;  // where it was read from, for messages
    std::string name;
    DataConfig data;
    double validation_fraction = 0.15, test_fraction = 0.2;
    uint64_t split_seed = 42;
    bool standardize = true;
    ModelSpec model;
    TrainOptions training;
};

ExperimentConfig load_experiment(const std::string& path);
ExperimentConfig parse_experiment(const nlohmann::json& j, const std::string& file);

// Reads the configured data and splits it; `resources_dir` holds the bundled demo data.
Splits load_experiment_data(const ExperimentConfig& cfg, const std::string& resources_dir);

// The data format a file name implies: "csv", "arff", "npy" or "" (by extension, .gz ignored).
std::string format_from_extension(const std::string& path);

}  // namespace hgq
