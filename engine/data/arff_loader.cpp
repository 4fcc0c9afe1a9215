// SPDX-License-Identifier: GPL-3.0-or-later
// ARFF as OpenML serves it (e.g. hls4ml_lhc_jets_hlf: 16 numeric attributes and a nominal class).
#include <algorithm>
#include <cctype>

#include "core/error.h"
#include "data/dataset.h"
#include "data/load_util.h"
#include "data/text_table.h"

namespace hgq {
namespace {

struct Attribute {
    std::string name;
    std::vector<std::string> nominal;  // empty: numeric
};

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return out;
}

// "@attribute NAME TYPE": NAME may be quoted; TYPE is numeric/real/integer or {a,b,...}.
Attribute parse_attribute(std::string_view rest, const std::string& where) {
    while (!rest.empty() && std::isspace(uint8_t(rest.front()))) rest.remove_prefix(1);
    Attribute a;
    size_t end;
    if (!rest.empty() && (rest.front() == '\'' || rest.front() == '"')) {
        end = rest.find(rest.front(), 1);
        if (end == rest.npos) throw Error::bad_input(where, "unterminated quoted attribute name");
        a.name = std::string(rest.substr(1, end - 1));
        ++end;
    } else {
        end = std::min(rest.find_first_of(" \t{"), rest.size());
        a.name = std::string(rest.substr(0, end));
    }
    std::string_view type = rest.substr(end);
    while (!type.empty() && std::isspace(uint8_t(type.front()))) type.remove_prefix(1);
    if (!type.empty() && type.front() == '{') {
        const size_t close = type.find('}');
        if (close == type.npos) throw Error::bad_input(where, "unterminated nominal type");
        for (auto v : text::split_fields(type.substr(1, close - 1))) a.nominal.emplace_back(v);
        return a;
    }
    const std::string t = lower(type);
    if (t != "numeric" && t != "real" && t != "integer")
        throw Error::bad_input(
            where, "attribute " + data::quoted(a.name) + " has type " + data::quoted(type),
            "only numeric and nominal attributes are supported");
    return a;
}

}  // namespace

Dataset load_arff(const std::string& path, const TextLoadOptions& opt) {
    const std::string content = read_file_maybe_gz(path);
    const auto lines = text::split_lines(content, '%');
    std::vector<Attribute> attrs;
    size_t data_start = lines.size();
    for (size_t i = 0; i < lines.size(); ++i) {
        const std::string head =
            lower(lines[i].text.substr(0, std::min<size_t>(10, lines[i].text.size())));
        const std::string where = path + ":line " + std::to_string(lines[i].number);
        if (head.starts_with("@attribute"))
            attrs.push_back(parse_attribute(lines[i].text.substr(10), where));
        else if (head.starts_with("@data")) {
            data_start = i + 1;
            break;
        } else if (!head.starts_with("@relation"))
            throw Error::bad_input(where, "unexpected header line",
                                   "expected @relation, @attribute or @data");
    }
    if (attrs.size() < 2)
        throw Error::bad_input(path, "fewer than two @attribute lines", "is this an ARFF file?");
    if (data_start >= lines.size()) throw Error::bad_input(path, "no @data rows");
    std::vector<std::string> names;
    for (const auto& a : attrs) names.push_back(a.name);
    size_t fallback = attrs.size() - 1;
    for (size_t i = 0; i < attrs.size(); ++i)
        if (lower(attrs[i].name) == "class") fallback = i;
    const size_t label = text::label_column_index(opt.label_column, names, fallback, path);
    for (size_t i = 0; i < attrs.size(); ++i)
        if (i != label && !attrs[i].nominal.empty())
            throw Error::bad_input(path, "feature " + data::quoted(attrs[i].name) + " is nominal",
                                   "only the label column may be nominal");

    const size_t K = attrs.size(), N = lines.size() - data_start;
    for (size_t r = data_start; r < lines.size(); ++r)
        if (lines[r].text.front() == '{')
            throw Error::bad_input(path + ":line " + std::to_string(lines[r].number),
                                   "sparse ARFF is not supported", "write dense rows");
    Dataset d;
    d.origin = path;
    text::size_table(lines, data_start, K, path, d);
    std::vector<std::string> labels(N);
    std::vector<int64_t> line_numbers(N);
    for (size_t r = 0; r < N; ++r) {
        const auto& line = lines[data_start + r];
        const std::string where = path + ":line " + std::to_string(line.number);
        const auto fields = text::split_fields(line.text);
        text::parse_feature_row(fields, K, label, path, line.number, d, Eigen::Index(r));
        if (fields[label] == "?")
            throw Error::bad_input(where, "the label is missing ('?')", "drop the row");
        labels[r] = std::string(fields[label]);
        line_numbers[r] = line.number;
    }
    text::encode_labels(labels, line_numbers, opt, path, d, attrs[label].nominal);
    return d;
}

}  // namespace hgq
