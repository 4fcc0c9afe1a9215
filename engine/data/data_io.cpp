// SPDX-License-Identifier: GPL-3.0-or-later
// Row subsets, the NaN / label-range check, and the loaders' shared size and label checks.
#include <charconv>
#include <climits>
#include <clocale>
#include <cmath>
#include <cstdlib>
#include <new>

#include "core/error.h"
#include "data/dataset.h"
#include "data/load_util.h"

namespace hgq {

Dataset Dataset::subset(const std::vector<int64_t>& idx) const {
    Dataset d;
    d.x.resize(static_cast<Eigen::Index>(idx.size()), x.cols());
    d.y.resize(idx.size());
    for (size_t r = 0; r < idx.size(); ++r) {
        d.x.row(r) = x.row(idx[r]);
        d.y[r] = y[idx[r]];
    }
    d.sample_shape = sample_shape;
    d.n_classes = n_classes;
    d.class_names = class_names;
    d.origin = origin;
    return d;
}

void validate_dataset(const Dataset& d) {
    const Eigen::Index F = d.x.cols();
    for (Eigen::Index r = 0; r < d.x.rows(); ++r)
        for (Eigen::Index c = 0; c < F; ++c)
            if (!std::isfinite(d.x(r, c)))
                throw Error::bad_input(d.origin,
                                       "sample " + std::to_string(r + 1) + ", feature " +
                                           std::to_string(c + 1) + " is " +
                                           (std::isnan(d.x(r, c)) ? "NaN" : "infinite"),
                                       "clean or impute the data before training");
    for (size_t r = 0; r < d.y.size(); ++r)
        if (d.y[r] < 0 || d.y[r] >= d.n_classes)
            throw Error::bad_input(d.origin, "sample " + std::to_string(r + 1) + " has label " +
                                                 std::to_string(d.y[r]) + " outside [0, " +
                                                 std::to_string(d.n_classes) + ")");
}

namespace data {

std::string bytes_text(int64_t n) {
    if (n >= (int64_t(1) << 30) && n % (int64_t(1) << 30) == 0)
        return std::to_string(n >> 30) + " GiB";
    if (n >= (int64_t(1) << 20) && n % (int64_t(1) << 20) == 0)
        return std::to_string(n >> 20) + " MiB";
    return std::to_string(n) + " bytes";
}

std::string quoted(std::string_view text) {
    constexpr size_t kShown = 40;
    if (text.size() <= kShown) return "'" + std::string(text) + "'";
    return "'" + std::string(text.substr(0, kShown)) + "...' (" + std::to_string(text.size()) +
           " characters)";
}

std::string number_text(double v) {
    // to_chars, unlike snprintf, ignores the locale Qt sets (no "1,5e+300").
    char buf[32];
    const bool whole = std::fabs(v) < 1e15 && v == std::trunc(v);
    const auto r = whole ? std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 0)
                         : std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 6);
    return std::string(buf, r.ptr);
}

namespace {
std::string dims_text(const std::vector<int64_t>& dims) {
    std::string t;
    for (int64_t d : dims) t += (t.empty() ? "" : " × ") + std::to_string(d);
    return t;
}
}  // namespace

double c_strtod(std::string_view text) {
    static const locale_t c_locale = newlocale(LC_ALL_MASK, "C", locale_t(0));
    return strtod_l(std::string(text).c_str(), nullptr, c_locale);
}

void size_dataset(Dataset& d, int64_t rows, const std::vector<int64_t>& sample_dims,
                  const std::string& path) {
    const auto features = checked_product(sample_dims);
    if (rows <= 0)
        throw Error::bad_input(path, "the data set has no samples (0 rows)",
                               "a data set needs at least one row");
    if (features && *features == 0)
        throw Error::bad_input(
            path, "each sample has 0 features (sample shape " + dims_text(sample_dims) + ")",
            "check the dimensions the file was written with");
    if (!features || *features > INT_MAX)
        throw Error::bad_input(
            path,
            "samples of shape " + dims_text(sample_dims) + " have more than 2147483647 features",
            "check the dimensions the file was written with");
    d.sample_shape.assign(sample_dims.begin(), sample_dims.end());  // each fits: product does
    try {
        d.x.resize(rows, *features);
    } catch (const std::bad_alloc&) {
        throw Error::runtime(path,
                             "not enough memory for " + std::to_string(rows) + " samples of " +
                                 std::to_string(*features) + " features",
                             "free memory or use a smaller file");
    }
}

void label_out_of_range(const std::string& label, int n_classes, const std::string& where,
                        int64_t sample) {
    const std::string of = sample > 0 ? " of sample " + std::to_string(sample) : "";
    throw Error::bad_input(where, "label " + label + of + " is out of range",
                           n_classes > 0
                               ? "labels must lie in [0, " + std::to_string(n_classes) + ")"
                               : "integer labels must be 0, 1, 2, ... below " +
                                     std::to_string(kMaxClasses) + "; is this the label column?");
}

void set_integer_classes(Dataset& d, int given, int64_t max_label) {
    d.n_classes = given > 0 ? given : int(max_label + 1);
    d.class_names.clear();
    for (int c = 0; c < d.n_classes; ++c) d.class_names.push_back(std::to_string(c));
}

}  // namespace data
}  // namespace hgq
