// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/text_table.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>

#include "core/error.h"
#include "data/load_util.h"

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
[[noreturn]] void field_count_error(size_t found, size_t expected, const std::string& path,
                                    int64_t line) {
    throw Error::bad_input(
        where(path, line),
        "expected " + std::to_string(expected) + " fields, found " + std::to_string(found),
        "every row needs as many fields as the header declares");
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
    auto [ptr, ec] = std::from_chars(field.data(), end, v);
    // from_chars reports overflow and underflow alike; an underflow (1e-400) is a usable 0.
    if (ec == std::errc::result_out_of_range && ptr == end &&
        std::isfinite(v = data::c_strtod(field)))
        ec = std::errc();
    const std::string col = "column " + std::to_string(column + 1) + ": " + data::quoted(field);
    if (field.empty() || ptr != end || (ec != std::errc() && ec != std::errc::result_out_of_range))
        throw Error::bad_input(where(path, line), col + " is not a number",
                               field == "?"
                                   ? "missing values are not supported: impute or drop the row"
                                   : "every feature must be numeric");
    if (ec == std::errc::result_out_of_range)
        throw Error::bad_input(where(path, line), col + " is not a finite number",
                               "clean or impute the data before training");
    if (!std::isfinite(v) || !std::isfinite(Scalar(v)))
        throw Error::bad_input(where(path, line),
                               col + (std::isfinite(v) ? " is outside the float32 range (±3.4e38)"
                                                       : " is not a finite number"),
                               "clean or impute the data before training");
    return v;
}

void parse_feature_row(const std::vector<std::string_view>& fields, size_t expected, size_t label,
                       const std::string& path, int64_t line, Dataset& d, Eigen::Index r) {
    if (fields.size() != expected) field_count_error(fields.size(), expected, path, line);
    Eigen::Index col = 0;
    for (size_t c = 0; c < expected; ++c)
        if (c != label) d.x(r, col++) = Scalar(parse_number(fields[c], path, line, c));
}

void size_table(const std::vector<Line>& lines, size_t first, size_t columns,
                const std::string& path, Dataset& d) {
    // Every row needs columns - 1 commas, so if the rows hold fewer bytes than rows × features,
    // some row is short: name it before allocating a matrix the text cannot fill.
    const int64_t rows = int64_t(lines.size() - first), features = int64_t(columns) - 1;
    int64_t bytes = 0;
    for (size_t i = first; i < lines.size(); ++i) bytes += int64_t(lines[i].text.size());
    const auto cells = checked_mul(rows, features);
    if (!cells || *cells > bytes)
        for (size_t i = first; i < lines.size(); ++i) {
            const size_t found = split_fields(lines[i].text).size();
            if (found != columns) field_count_error(found, columns, path, lines[i].number);
        }
    data::size_dataset(d, rows, {features}, path);
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

namespace {

// "-?[0-9]+": such labels are class indices (a value beyond int64 is one too, out of range).
bool is_integer(const std::string& s) {
    const size_t digits = !s.empty() && s.front() == '-' ? 1 : 0;
    return s.size() > digits && s.find_first_not_of("0123456789", digits) == std::string::npos;
}

void encode_integer_labels(const std::vector<std::string>& labels,
                           const std::vector<int64_t>& lines, const TextLoadOptions& opt,
                           const std::string& path, Dataset& d) {
    int64_t max_label = -1;
    for (size_t r = 0; r < labels.size(); ++r) {
        const std::string& s = labels[r];
        int64_t v = 0;
        if (std::from_chars(s.data(), s.data() + s.size(), v).ec != std::errc())
            throw Error::bad_input(
                where(path, lines[r]),
                "label " + data::number_text(data::c_strtod(s)) + " is out of range",
                "integer labels must be 0, 1, 2, ...; is this the label column?");
        data::check_label(v, opt.n_classes, where(path, lines[r]), 0);
        d.y[r] = int32_t(v);
        max_label = std::max(max_label, v);
    }
    data::set_integer_classes(d, opt.n_classes, max_label);
}

[[noreturn]] void too_many_classes(size_t n, const std::string& path) {
    throw Error::bad_input(path,
                           "the labels name " + std::to_string(n) + " classes, more than " +
                               std::to_string(kMaxClasses),
                           "is this the label column? set data.label_column");
}

}  // namespace

void encode_labels(const std::vector<std::string>& labels, const std::vector<int64_t>& lines,
                   const TextLoadOptions& opt, const std::string& path, Dataset& d,
                   const std::vector<std::string>& declared) {
    d.y.resize(labels.size());
    if (declared.empty() && opt.label_order.empty() &&
        std::all_of(labels.begin(), labels.end(), is_integer))
        return encode_integer_labels(labels, lines, opt, path, d);
    std::vector<std::string> order = !opt.label_order.empty() ? opt.label_order : declared;
    if (order.empty()) {
        order = labels;
        std::sort(order.begin(), order.end());
        order.erase(std::unique(order.begin(), order.end()), order.end());
    }
    if (order.size() > size_t(kMaxClasses)) too_many_classes(order.size(), path);
    std::map<std::string, int> index;
    for (size_t c = 0; c < order.size(); ++c) index[order[c]] = int(c);
    for (size_t r = 0; r < labels.size(); ++r) {
        const auto it = index.find(labels[r]);
        if (it == index.end())
            throw Error::bad_input(where(path, lines[r]),
                                   "label " + data::quoted(labels[r]) + " is not a known class",
                                   "add it to data.label_order");
        d.y[r] = it->second;
    }
    d.n_classes = int(order.size());
    d.class_names = order;
}

}  // namespace hgq::text
