// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/text_table.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "core/error.h"

namespace hgq::text {
namespace {
std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}
std::string where(const std::string& path, int64_t line) {
    return path + ":line " + std::to_string(line);
}
}  // namespace

std::vector<Line> split_lines(const std::string& content, char comment) {
    std::vector<Line> lines;
    size_t start = 0;
    int64_t number = 1;
    while (start <= content.size()) {
        size_t end = content.find('\n', start);
        if (end == std::string::npos) end = content.size();
        const std::string_view t = trim(std::string_view(content).substr(start, end - start));
        if (!t.empty() && !(comment && t.front() == comment)) lines.push_back({t, number});
        start = end + 1;
        ++number;
    }
    return lines;
}

// A comma inside a quoted field ("a,b" or 'a,b', as CSV and ARFF quote) does not split it.
std::vector<std::string_view> split_fields(std::string_view line) {
    std::vector<std::string_view> fields;
    size_t start = 0;
    while (true) {
        size_t i = start;
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        size_t comma = line.npos;
        if (i < line.size() && (line[i] == '"' || line[i] == '\'')) {
            const size_t close = line.find(line[i], i + 1);
            comma = line.find(',', close == line.npos ? i + 1 : close + 1);
        } else {
            comma = line.find(',', start);
        }
        std::string_view f =
            trim(line.substr(start, comma == std::string_view::npos ? line.npos : comma - start));
        if (f.size() >= 2 && (f.front() == '"' || f.front() == '\'') && f.back() == f.front())
            f = f.substr(1, f.size() - 2);
        fields.push_back(f);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return fields;
}

double parse_number(std::string_view field, const std::string& path, int64_t line, size_t column) {
    double v = 0;
    const char* end = field.data() + field.size();
    if (!field.empty() && field.front() == '+') field.remove_prefix(1);
    const auto [ptr, ec] = std::from_chars(field.data(), end, v);
    if (field.empty() || ec != std::errc() || ptr != end)
        throw Error::bad_input(where(path, line),
                               "column " + std::to_string(column + 1) + ": '" + std::string(field) +
                                   "' is not a number",
                               field == "?"
                                   ? "missing values are not supported: impute or drop the row"
                                   : "every feature must be numeric");
    if (!std::isfinite(v))
        throw Error::bad_input(where(path, line),
                               "column " + std::to_string(column + 1) + ": '" + std::string(field) +
                                   "' is not a finite number",
                               "clean or impute the data before training");
    return v;
}

void parse_feature_row(const std::vector<std::string_view>& fields, size_t expected, size_t label,
                       const std::string& path, int64_t line, Dataset& d, Eigen::Index r) {
    if (fields.size() != expected)
        throw Error::bad_input(where(path, line),
                               "expected " + std::to_string(expected) + " fields, found " +
                                   std::to_string(fields.size()),
                               "every row needs as many fields as the header declares");
    Eigen::Index col = 0;
    for (size_t c = 0; c < expected; ++c)
        if (c != label) d.x(r, col++) = Scalar(parse_number(fields[c], path, line, c));
}

size_t label_column_index(const std::string& wanted, const std::vector<std::string>& names,
                          size_t fallback, const std::string& path) {
    if (wanted.empty()) return fallback;
    for (size_t i = 0; i < names.size(); ++i)
        if (names[i] == wanted) return i;
    size_t idx = 0;
    const auto [ptr, ec] = std::from_chars(wanted.data(), wanted.data() + wanted.size(), idx);
    if (ec == std::errc() && ptr == wanted.data() + wanted.size() && idx < names.size()) return idx;
    throw Error::bad_input(path, "no label column '" + wanted + "'",
                           "give a column name from the header or a 0-based index below " +
                               std::to_string(names.size()));
}

void encode_labels(const std::vector<std::string>& labels, const std::vector<int64_t>& lines,
                   const TextLoadOptions& opt, const std::string& path, Dataset& d,
                   const std::vector<std::string>& declared) {
    d.y.resize(labels.size());
    bool all_int = declared.empty() && opt.label_order.empty();
    for (size_t r = 0; r < labels.size() && all_int; ++r) {
        int v = 0;
        const auto& s = labels[r];
        const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        all_int = ec == std::errc() && ptr == s.data() + s.size();
        d.y[r] = v;
    }
    if (all_int) {
        int max_label = -1;
        for (size_t r = 0; r < labels.size(); ++r) {
            if (d.y[r] < 0 || (opt.n_classes > 0 && d.y[r] >= opt.n_classes))
                throw Error::bad_input(
                    where(path, lines[r]), "label " + labels[r] + " is out of range",
                    opt.n_classes > 0
                        ? "labels must lie in [0, " + std::to_string(opt.n_classes) + ")"
                        : "integer labels must be 0, 1, 2, ...");
            max_label = std::max(max_label, int(d.y[r]));
        }
        d.n_classes = opt.n_classes > 0 ? opt.n_classes : max_label + 1;
        for (int c = 0; c < d.n_classes; ++c) d.class_names.push_back(std::to_string(c));
        return;
    }
    std::vector<std::string> order = !opt.label_order.empty() ? opt.label_order : declared;
    if (order.empty()) {
        order = labels;
        std::sort(order.begin(), order.end());
        order.erase(std::unique(order.begin(), order.end()), order.end());
    }
    std::map<std::string, int> index;
    for (size_t c = 0; c < order.size(); ++c) index[order[c]] = int(c);
    for (size_t r = 0; r < labels.size(); ++r) {
        const auto it = index.find(labels[r]);
        if (it == index.end())
            throw Error::bad_input(where(path, lines[r]),
                                   "label '" + labels[r] + "' is not a known class",
                                   "add it to data.label_order");
        d.y[r] = it->second;
    }
    d.n_classes = int(order.size());
    d.class_names = order;
}

}  // namespace hgq::text
