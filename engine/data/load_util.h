// SPDX-License-Identifier: GPL-3.0-or-later
// Pieces every loader shares: sizes checked before anything is allocated, class counts bounded,
// and values from a hostile file quoted compactly in messages.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "data/dataset.h"

namespace hgq::data {

// "8 GiB", "16 MiB" or "1234 bytes".
std::string bytes_text(int64_t n);
// A value from the file for a message: short text as it is, a long one cut with its length, so
// a 300-digit label or a megabyte-long cell never floods the terminal.
std::string quoted(std::string_view text);
// A number for a message in %g style ("1e+300", "1.09951e+15"); whole numbers below 1e15 exactly.
std::string number_text(double v);

// strtod in the C locale whatever the process's locale (Qt sets the user's, where the decimal
// point may be a comma): `text` must be a whole decimal number.
double c_strtod(std::string_view text);

// Sets d.sample_shape to `sample_dims` and sizes d.x to rows × features, checking first that
// there are rows and features and that a sample fits an int (Shape and the layers count in int);
// an allocation failure becomes a message naming `path` too.
void size_dataset(Dataset& d, int64_t rows, const std::vector<int64_t>& sample_dims,
                  const std::string& path);
// Throws unless an integer label lies in [0, n_classes), or [0, kMaxClasses) when n_classes is 0.
// `where` names the file (and line); `sample` (1-based, 0 for none) is named too.
[[noreturn]] void label_out_of_range(const std::string& label, int n_classes,
                                     const std::string& where, int64_t sample);
inline void check_label(int64_t label, int n_classes, const std::string& where, int64_t sample) {
    if (label < 0 || label >= (n_classes > 0 ? n_classes : kMaxClasses))
        label_out_of_range(std::to_string(label), n_classes, where, sample);
}
// Sets d.n_classes and the names "0".."K-1" for checked integer labels: `given` when > 0, else
// the largest label + 1.
void set_integer_classes(Dataset& d, int given, int64_t max_label);

}  // namespace hgq::data
