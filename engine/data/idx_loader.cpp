// SPDX-License-Identifier: GPL-3.0-or-later
// IDX (MNIST's format): big-endian header, unsigned bytes.
#include <algorithm>

#include "core/error.h"
#include "data/dataset.h"
#include "data/load_util.h"

namespace hgq {
namespace {

uint32_t be32(const std::string& s, size_t at) {
    return (uint32_t(uint8_t(s[at])) << 24) | (uint32_t(uint8_t(s[at + 1])) << 16) |
           (uint32_t(uint8_t(s[at + 2])) << 8) | uint32_t(uint8_t(s[at + 3]));
}

// The byte count the dimensions declare, in 64 bits: 65536 × 2^24 × 2^24 must not wrap to 0.
int64_t declared_bytes(const std::vector<int64_t>& d, size_t header, const std::string& path) {
    const auto count = checked_product(d);
    if (!count || *count > INT64_MAX - int64_t(header)) {
        std::string dims;
        for (int64_t v : d) dims += (dims.empty() ? "" : " × ") + std::to_string(v);
        throw Error::bad_input(path,
                               "the IDX header declares " + dims + " bytes, more than any file",
                               "the header is damaged or this is not an IDX file");
    }
    return int64_t(header) + *count;
}

// Checks magic (ubyte type 0x08, `dims` dimensions) and size; returns the dimensions.
std::vector<int64_t> idx_header(const std::string& s, const std::string& path, int min_dims,
                                int max_dims) {
    if (s.size() < 4 || s[0] != 0 || s[1] != 0)
        throw Error::bad_input(path, "not an IDX file (bad magic number)",
                               "expected MNIST-style IDX");
    if (uint8_t(s[2]) != 0x08)
        throw Error::bad_input(
            path, "IDX element type " + std::to_string(uint8_t(s[2])) + " is not supported",
            "only unsigned-byte IDX (type 0x08) is read");
    const int dims = uint8_t(s[3]);
    if (dims < min_dims || dims > max_dims)
        throw Error::bad_input(path, "IDX file has " + std::to_string(dims) + " dimensions",
                               "images need 2 or 3 dimensions, labels 1");
    const size_t header = 4 + 4 * size_t(dims);
    if (s.size() < header) throw Error::bad_input(path, "the IDX header is truncated");
    std::vector<int64_t> d;
    for (int i = 0; i < dims; ++i) d.push_back(be32(s, 4 + 4 * i));
    const int64_t expected = declared_bytes(d, header, path);
    if (int64_t(s.size()) != expected)
        throw Error::bad_input(
            path,
            "expected " + std::to_string(expected) + " bytes, found " + std::to_string(s.size()),
            int64_t(s.size()) < expected ? "the file is truncated" : "trailing bytes");
    return d;
}

}  // namespace

Dataset load_idx(const std::string& images_path, const std::string& labels_path, int n_classes) {
    const std::string img = read_file_maybe_gz(images_path), lab = read_file_maybe_gz(labels_path);
    const auto di = idx_header(img, images_path, 2, 3);
    const auto dl = idx_header(lab, labels_path, 1, 1);
    if (di[0] != dl[0])
        throw Error::bad_input(labels_path, std::to_string(dl[0]) + " labels for " +
                                                std::to_string(di[0]) + " images in " +
                                                images_path);
    Dataset d;
    d.origin = images_path;
    const int64_t N = di[0];
    data::size_dataset(
        d, N, di.size() == 3 ? std::vector<int64_t>{di[1], di[2], 1} : std::vector<int64_t>{di[1]},
        images_path);
    const auto* px = reinterpret_cast<const uint8_t*>(img.data()) + 4 + 4 * di.size();
    std::transform(px, px + d.x.size(), d.x.data(), [](uint8_t v) { return Scalar(v); });
    const auto* lb = reinterpret_cast<const uint8_t*>(lab.data()) + 8;
    d.y.assign(lb, lb + N);
    int64_t max_label = 0;
    for (size_t r = 0; r < d.y.size(); ++r) {
        data::check_label(d.y[r], n_classes, labels_path, int64_t(r) + 1);
        max_label = std::max<int64_t>(max_label, d.y[r]);
    }
    data::set_integer_classes(d, n_classes, max_label);
    return d;
}

}  // namespace hgq
