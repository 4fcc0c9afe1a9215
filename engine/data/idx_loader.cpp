// SPDX-License-Identifier: GPL-3.0-or-later
// IDX (MNIST's format): big-endian header, unsigned bytes.
#include <cstring>

#include "core/error.h"
#include "data/dataset.h"

namespace hgq {
namespace {

uint32_t be32(const std::string& s, size_t at) {
    return (uint32_t(uint8_t(s[at])) << 24) | (uint32_t(uint8_t(s[at + 1])) << 16) |
           (uint32_t(uint8_t(s[at + 2])) << 8) | uint32_t(uint8_t(s[at + 3]));
}

// Checks magic (ubyte type 0x08, `dims` dimensions) and size; returns the dimensions.
std::vector<uint32_t> idx_header(const std::string& s, const std::string& path, int min_dims,
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
    std::vector<uint32_t> d;
    size_t count = 1;
    for (int i = 0; i < dims; ++i) {
        d.push_back(be32(s, 4 + 4 * i));
        count *= d.back();
    }
    if (s.size() != header + count)
        throw Error::bad_input(
            path,
            "expected " + std::to_string(header + count) + " bytes, found " +
                std::to_string(s.size()),
            s.size() < header + count ? "the file is truncated" : "trailing bytes");
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
    d.sample_shape = di.size() == 3 ? Shape{int(di[1]), int(di[2]), 1} : Shape{int(di[1])};
    const int64_t N = di[0], F = shape_size(d.sample_shape);
    const auto* px = reinterpret_cast<const uint8_t*>(img.data()) + 4 + 4 * di.size();
    d.x.resize(N, F);
    for (int64_t e = 0; e < N * F; ++e) d.x.data()[e] = Scalar(px[e]);
    const auto* lb = reinterpret_cast<const uint8_t*>(lab.data()) + 8;
    d.y.assign(lb, lb + N);
    int max_label = 0;
    for (int32_t v : d.y) max_label = std::max(max_label, v);
    if (n_classes > 0 && max_label >= n_classes)
        throw Error::bad_input(labels_path, "label " + std::to_string(max_label) +
                                                " is outside [0, " + std::to_string(n_classes) +
                                                ")");
    d.n_classes = n_classes > 0 ? n_classes : max_label + 1;
    for (int c = 0; c < d.n_classes; ++c) d.class_names.push_back(std::to_string(c));
    return d;
}

}  // namespace hgq
