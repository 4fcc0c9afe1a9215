// SPDX-License-Identifier: GPL-3.0-or-later
// From a DataConfig to train / validation / test splits.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <numeric>

#include "config/experiment.h"
#include "core/error.h"
#include "data/fingerprint.h"

namespace hgq {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

// The first `limit` rows, checked for NaN/Inf and label range while row numbers still match the
// file's.
Dataset head(const Dataset& d, int64_t limit) {
    validate_dataset(d);
    if (limit <= 0 || limit >= d.size()) return d;
    std::vector<int64_t> idx(limit);
    std::iota(idx.begin(), idx.end(), 0);
    return d.subset(idx);
}

TextLoadOptions text_options(const DataConfig& d) {
    TextLoadOptions o;
    o.label_column = d.label_column;
    o.header = d.header;
    o.label_order = d.label_order;
    return o;
}

Dataset load_digits(const std::string& resources_dir) {
    TextLoadOptions o;
    o.header = false;  // scikit-learn's file: 64 pixels then the label, no header
    o.n_classes = 10;
    Dataset d = load_csv((fs::path(resources_dir) / "data" / "digits.csv.gz").string(), o);
    d.sample_shape = {8, 8, 1};
    return d;
}

Splits load_fashion_mnist(const DataConfig& d, const ExperimentConfig& c) {
    const fs::path dir = d.dir.empty() ? fs::path(kFashionMnistDir) : fs::path(d.dir);
    if (!fs::exists(dir / "train-images-idx3-ubyte.gz"))
        throw Error::bad_input(
            dir.string(), "Fashion-MNIST is not there",
            "install Debian's package: sudo apt-get install dataset-fashion-mnist");
    Dataset train = load_idx((dir / "train-images-idx3-ubyte.gz").string(),
                             (dir / "train-labels-idx1-ubyte.gz").string(), 10);
    Dataset test = load_idx((dir / "t10k-images-idx3-ubyte.gz").string(),
                            (dir / "t10k-labels-idx1-ubyte.gz").string(), 10);
    return split_with_test(head(train, d.limit), head(test, d.limit), c.validation_fraction,
                           c.split_seed);
}

// Splits that cannot train or measure anything are refused, not run: an empty validation or test
// part would give a "0.00 %" or meaningless front, one class a "100 %" one.
void check_usable(const Splits& s, const ExperimentConfig& c) {
    const std::string& origin = s.train.origin.empty() ? c.file : s.train.origin;
    const int64_t rows = s.train.size() + s.validation.size() + s.test.size();
    auto none_left = [&](const char* part, const char* field, double fraction) {
        char f[32];
        std::snprintf(f, sizeof f, "%g", fraction);
        return Error::bad_input(
            origin,
            (rows == 1 ? std::string("1 row leaves") : std::to_string(rows) + " rows leave") +
                " no " + part + " rows (" + field + " = " + f + ")",
            std::string("use more data or a larger ") + field);
    };
    if (s.validation.size() == 0)
        throw none_left("validation", "split.validation", c.validation_fraction);
    if (s.test.size() == 0) throw none_left("test", "split.test", c.test_fraction);
    std::vector<bool> seen(size_t(std::max(1, s.train.n_classes)), false);
    int classes = 0;
    for (const Dataset* d : {&s.train, &s.validation, &s.test})
        for (int32_t y : d->y)
            if (y >= 0 && size_t(y) < seen.size() && !seen[size_t(y)]) {
                seen[size_t(y)] = true;
                ++classes;
            }
    if (classes < 2)
        throw Error::bad_input(origin, "every row has the same label: one class",
                               "a classifier needs rows of at least two classes; check the "
                               "label column");
}

}  // namespace

std::string format_from_extension(const std::string& path) {
    std::string p = path;
    if (p.size() > 3 && p.ends_with(".gz")) p.resize(p.size() - 3);
    const std::string ext = fs::path(p).extension().string();
    if (ext == ".csv") return "csv";
    if (ext == ".arff") return "arff";
    if (ext == ".npy") return "npy";
    return "";
}

Splits load_experiment_data(const ExperimentConfig& c, const std::string& resources_dir) {
    const DataConfig& d = c.data;
    Splits s;
    if (d.source == "fashion-mnist") {
        s = load_fashion_mnist(d, c);
    } else if (d.source == "idx" && !d.test_path.empty()) {
        Dataset train = load_idx(d.path, d.labels), test = load_idx(d.test_path, d.test_labels);
        s = split_with_test(head(train, d.limit), head(test, d.limit), c.validation_fraction,
                            c.split_seed);
    } else {
        Dataset all;
        if (d.source == "digits")
            all = load_digits(resources_dir);
        else if (d.source == "idx")
            all = load_idx(d.path, d.labels);
        else if (d.source == "csv")
            all = load_csv(d.path, text_options(d));
        else if (d.source == "arff")
            all = load_arff(d.path, text_options(d));
        else
            all = load_npy(d.path, d.labels);
        s = split_dataset(head(all, d.limit), c.validation_fraction, c.test_fraction, c.split_seed);
    }
    check_usable(s, c);
    s.fingerprint = data_fingerprint(s);
    if (c.standardize) standardize(s);
    return s;
}

}  // namespace hgq
