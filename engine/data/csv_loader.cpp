// SPDX-License-Identifier: GPL-3.0-or-later
// CSV with an optional header and one label column; every other column is a numeric feature.
#include "core/error.h"
#include "data/dataset.h"
#include "data/text_table.h"

namespace hgq {

Dataset load_csv(const std::string& path, const TextLoadOptions& opt) {
    const std::string content = read_file_maybe_gz(path);
    const auto lines = text::split_lines(content, '\0');
    if (lines.size() < (opt.header ? 2u : 1u))
        throw Error::bad_input(path, "no data rows",
                               opt.header ? "the file has at most a header" : "the file is empty");
    std::vector<std::string> names;
    for (auto f : text::split_fields(lines[0].text)) names.emplace_back(f);
    if (!opt.header)
        for (size_t c = 0; c < names.size(); ++c) names[c] = std::to_string(c);
    const size_t K = names.size();
    if (K < 2)
        throw Error::bad_input(path + ":line " + std::to_string(lines[0].number),
                               "found " + std::to_string(K) +
                                   " column; a data set needs a label column and at least one "
                                   "feature column",
                               "check the delimiter (a comma is expected)");
    const size_t label = text::label_column_index(opt.label_column, names, K - 1, path);
    const size_t first = opt.header ? 1 : 0, N = lines.size() - first;

    Dataset d;
    d.origin = path;
    text::size_table(lines, first, K, path, d);
    std::vector<std::string> labels(N);
    std::vector<int64_t> line_numbers(N);
    for (size_t r = 0; r < N; ++r) {
        const auto& line = lines[first + r];
        const auto fields = text::split_fields(line.text);
        text::parse_feature_row(fields, K, label, path, line.number, d, Eigen::Index(r));
        labels[r] = std::string(fields[label]);
        line_numbers[r] = line.number;
    }
    text::encode_labels(labels, line_numbers, opt, path, d);
    return d;
}

}  // namespace hgq
