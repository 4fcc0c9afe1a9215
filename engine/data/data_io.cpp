// SPDX-License-Identifier: GPL-3.0-or-later
// Whole-file reads with transparent gunzip, row subsets, and the NaN / label-range check.
#include <zlib.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "data/dataset.h"

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

namespace {
bool gzip_magic_at(const z_stream& zs) {
    return zs.avail_in >= 2 && zs.next_in[0] == 0x1f && zs.next_in[1] == 0x8b;
}

// Inflates every member of a (possibly multi-member, e.g. `cat a.gz b.gz`) gzip file, as gzip(1)
// does; a member that ends early or is corrupt is an error that names the file.
std::string gunzip(const std::string& raw, const std::string& path) {
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 32) != Z_OK) throw Error::runtime(path, "zlib failed to start");
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
    zs.avail_in = static_cast<uInt>(raw.size());
    std::string out;
    char buf[1 << 16];
    int rc = Z_OK;
    for (;;) {
        zs.next_out = reinterpret_cast<Bytef*>(buf);
        zs.avail_out = sizeof buf;
        rc = inflate(&zs, Z_NO_FLUSH);
        out.append(buf, sizeof buf - zs.avail_out);
        if (rc == Z_STREAM_END && gzip_magic_at(zs)) {
            inflateReset(&zs);  // another member follows
            rc = Z_OK;
            continue;
        }
        if (rc != Z_OK) break;
        if (zs.avail_in == 0 && zs.avail_out != 0) break;  // input ended before the stream did
    }
    inflateEnd(&zs);
    if (rc != Z_STREAM_END)
        throw Error::bad_input(path,
                               "the gzip data is truncated or corrupt (" +
                                   std::to_string(out.size()) + " bytes could be read)",
                               "download or copy the file again");
    return out;
}
}  // namespace

std::string read_file_maybe_gz(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error::bad_input(path, "cannot open the file", "check the path");
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string raw = ss.str();
    const bool gz = raw.size() >= 2 && uint8_t(raw[0]) == 0x1f && uint8_t(raw[1]) == 0x8b;
    return gz ? gunzip(raw, path) : raw;
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

}  // namespace hgq
