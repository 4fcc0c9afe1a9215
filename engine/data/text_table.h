// SPDX-License-Identifier: GPL-3.0-or-later
// Shared pieces of the CSV and ARFF readers: line splitting, field parsing, label encoding.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "data/dataset.h"

namespace hgq::text {

// A line of the file with its 1-based number.
struct Line {
    std::string_view text;
    int64_t number;
};

// Non-empty lines (trailing \r removed); `comment` starts lines to skip ('\0' for none).
std::vector<Line> split_lines(const std::string& content, char comment);
// Comma-separated fields, trimmed, surrounding quotes removed.
std::vector<std::string_view> split_fields(std::string_view line);
// A whole field as a number, or throws naming path:line and the column.
double parse_number(std::string_view field, const std::string& path, int64_t line, size_t column);

// Parses every field but `label` of a row into row `r` of d.x, checking the field count.
void parse_feature_row(const std::vector<std::string_view>& fields, size_t expected, size_t label,
                       const std::string& path, int64_t line, Dataset& d, Eigen::Index r);

// Sizes d.x for the rows lines[first..] of `columns` fields (one of them the label), checking
// first that the text can hold that many cells: a short row is named before any allocation.
void size_table(const std::vector<Line>& lines, size_t first, size_t columns,
                const std::string& path, Dataset& d);

// Encodes labels (strings as read) into class indices: integers when every label is one (below
// kMaxClasses), else by `opt.label_order` or sorted order (at most kMaxClasses distinct).
// `lines[i]` is the file line of label i, for messages.
void encode_labels(const std::vector<std::string>& labels, const std::vector<int64_t>& lines,
                   const TextLoadOptions& opt, const std::string& path, Dataset& d,
                   const std::vector<std::string>& declared = {});

// Index of the label column among `names` (by name, or a 0-based index), "" = `fallback`.
size_t label_column_index(const std::string& wanted, const std::vector<std::string>& names,
                          size_t fallback, const std::string& path);

}  // namespace hgq::text
