// SPDX-License-Identifier: GPL-3.0-or-later
// Labelled classification data and the loaders for the formats users bring: IDX(.gz) as MNIST ships
// it, CSV(.gz) with a header, ARFF(.gz) as OpenML serves it, NPY. Every loader validates what it
// reads and throws hgq::Error(BadInput) naming the file, the line (or byte offset) and a hint.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/types.h"

namespace hgq {

struct Dataset {
    Mat x;                   // (N, shape_size(sample_shape)), channels-last flattened
    std::vector<int32_t> y;  // (N) class index in [0, n_classes)
    Shape sample_shape;      // e.g. {64} or {28, 28, 1}
    int n_classes = 0;
    std::vector<std::string> class_names;  // (n_classes) when labels were strings, else "0".."K-1"
    std::string origin;                    // file(s) it was read from, for messages

    int64_t size() const { return static_cast<int64_t>(y.size()); }
    // Rows `idx` of this data set, in that order.
    Dataset subset(const std::vector<int64_t>& idx) const;
};

// The three parts one experiment uses. Standardisation, when on, is fit on `train` only.
struct Splits {
    Dataset train, validation, test;
    RowVec mean, inv_std;  // (features) the standardisation applied, empty when off
    std::string fingerprint;  // data_fingerprint of the splits as loaded, before standardising
};

// Options shared by the text loaders.
struct TextLoadOptions {
    std::string label_column;              // name (header/attribute) or 0-based index; "" = last
    bool header = true;                    // CSV only: first line names the columns
    std::vector<std::string> label_order;  // string labels in class-index order; empty = sorted
    int n_classes = 0;                     // > 0: integer labels must lie in [0, n_classes)
};

// Limits no real file comes near; they turn a hostile or mistaken input (/dev/zero, a zip bomb, a
// label column that is really an ID) into a message instead of an exhausted machine.
constexpr int64_t kMaxDataFileBytes = int64_t(8) << 30;     // a data file, also once gunzipped
constexpr int64_t kMaxConfigFileBytes = int64_t(16) << 20;  // a JSON config
// Integer labels and distinct string labels per data set: beyond ImageNet-21k's 21,841 classes
// with room to spare; more is a regression target or an ID column, not classes.
constexpr int kMaxClasses = 100000;

// Reads a whole regular file (a folder, FIFO or device is refused without blocking), gunzipping
// it when it starts with the gzip magic; more than `max_bytes` on disk or unpacked is BadInput.
std::string read_file_maybe_gz(const std::string& path, int64_t max_bytes = kMaxDataFileBytes);

Dataset load_idx(const std::string& images_path, const std::string& labels_path, int n_classes = 0);
Dataset load_csv(const std::string& path, const TextLoadOptions& opt);
Dataset load_arff(const std::string& path, const TextLoadOptions& opt);
// x: float32/float64/uint8/int32/int64 array (N, ...); y: integer array (N).
Dataset load_npy(const std::string& x_path, const std::string& y_path, int n_classes = 0);

// Rejects NaN/Inf features and labels outside [0, n_classes), naming `origin`.
void validate_dataset(const Dataset& d);

// Deterministic seeded permutation of [0, n): the same on every platform and standard library
// (std::shuffle is not), so that a seed names the same split everywhere.
std::vector<int64_t> seeded_permutation(int64_t n, uint64_t seed);

// Shuffles `all` with `seed` and cuts it into train / validation / test fractions.
Splits split_dataset(const Dataset& all, double validation_fraction, double test_fraction,
                     uint64_t seed);
// For sources with an official test split: validation is cut from `train`.
Splits split_with_test(const Dataset& train, Dataset test, double validation_fraction,
                       uint64_t seed);
// Fits mean / std per feature on s.train and applies it to all three parts (std 0 -> 1).
void standardize(Splits& s);

}  // namespace hgq
