// SPDX-License-Identifier: GPL-3.0-or-later
// NumPy .npy (format 1.0–3.0), C order, little-endian numeric dtypes.
#include <cstring>
#include <regex>

#include "core/error.h"
#include "data/dataset.h"

namespace hgq {
namespace {

struct NpyArray {
    std::string descr;
    std::vector<int64_t> shape;
    const char* data = nullptr;
    size_t elem = 0;
};

NpyArray parse_npy(const std::string& raw, const std::string& path) {
    if (raw.size() < 10 || raw.compare(0, 6, "\x93NUMPY") != 0)
        throw Error::bad_input(path, "not a .npy file (bad magic)", "save it with numpy.save");
    const int major = uint8_t(raw[6]);
    const size_t len_bytes = major == 1 ? 2 : 4;
    size_t hlen = 0;
    for (size_t i = 0; i < len_bytes; ++i) hlen |= size_t(uint8_t(raw[8 + i])) << (8 * i);
    const size_t start = 8 + len_bytes;
    if (raw.size() < start + hlen) throw Error::bad_input(path, "the .npy header is truncated");
    const std::string header = raw.substr(start, hlen);
    std::smatch m;
    NpyArray a;
    if (!std::regex_search(header, m, std::regex("'descr':\\s*'([<|=>]?[a-z][0-9]+)'")))
        throw Error::bad_input(path, "no dtype in the .npy header");
    a.descr = m[1];
    if (std::regex_search(header, std::regex("'fortran_order':\\s*True")))
        throw Error::bad_input(path, "Fortran-ordered arrays are not supported",
                               "save with numpy.save(path, numpy.ascontiguousarray(a))");
    if (!std::regex_search(header, m, std::regex("'shape':\\s*\\(([^)]*)\\)")))
        throw Error::bad_input(path, "no shape in the .npy header");
    const std::string dims = m[1];
    static const std::regex number("[0-9]+");
    for (std::sregex_iterator it(dims.begin(), dims.end(), number), e; it != e; ++it)
        a.shape.push_back(std::stoll(it->str()));
    if (a.descr[0] == '>') throw Error::bad_input(path, "big-endian .npy arrays are not supported");
    a.elem = size_t(std::stoi(a.descr.substr(2)));
    size_t count = 1;
    for (int64_t d : a.shape) count *= size_t(d);
    if (raw.size() != start + hlen + count * a.elem)
        throw Error::bad_input(path,
                               "expected " + std::to_string(count * a.elem) +
                                   " data bytes, found " +
                                   std::to_string(raw.size() - start - hlen),
                               "the file is truncated");
    a.data = raw.data() + start + hlen;
    return a;
}

double element(const NpyArray& a, size_t i, const std::string& path) {
    const char kind = a.descr[1];
    const char* p = a.data + i * a.elem;
    auto read = [&](auto v) {
        std::memcpy(&v, p, sizeof v);
        return double(v);
    };
    if (kind == 'f' && a.elem == 4) return read(float{});
    if (kind == 'f' && a.elem == 8) return read(double{});
    if (kind == 'u' && a.elem == 1) return read(uint8_t{});
    if (kind == 'i' && a.elem == 4) return read(int32_t{});
    if (kind == 'i' && a.elem == 8) return read(int64_t{});
    if (kind == 'i' && a.elem == 1) return read(int8_t{});
    throw Error::bad_input(path, "dtype '" + a.descr + "' is not supported",
                           "use float32/64, uint8, int32 or int64");
}

}  // namespace

Dataset load_npy(const std::string& x_path, const std::string& y_path, int n_classes) {
    const std::string xr = read_file_maybe_gz(x_path), yr = read_file_maybe_gz(y_path);
    const NpyArray x = parse_npy(xr, x_path), y = parse_npy(yr, y_path);
    if (x.shape.size() < 2) throw Error::bad_input(x_path, "x must have shape (N, features...)");
    if (y.shape.size() != 1 || y.shape[0] != x.shape[0])
        throw Error::bad_input(y_path, "y must have shape (" + std::to_string(x.shape[0]) + ",)");
    if (y.descr[1] == 'f') throw Error::bad_input(y_path, "labels must be integers");
    Dataset d;
    d.origin = x_path;
    d.sample_shape.assign(x.shape.begin() + 1, x.shape.end());
    const int64_t N = x.shape[0], F = shape_size(d.sample_shape);
    d.x.resize(N, F);
    for (int64_t e = 0; e < N * F; ++e) d.x.data()[e] = Scalar(element(x, size_t(e), x_path));
    d.y.resize(N);
    int max_label = 0;
    for (int64_t r = 0; r < N; ++r) {
        d.y[r] = int32_t(element(y, size_t(r), y_path));
        if (d.y[r] < 0 || (n_classes > 0 && d.y[r] >= n_classes))
            throw Error::bad_input(y_path, "label " + std::to_string(d.y[r]) + " of sample " +
                                               std::to_string(r + 1) + " is out of range");
        max_label = std::max(max_label, int(d.y[r]));
    }
    d.n_classes = n_classes > 0 ? n_classes : max_label + 1;
    for (int c = 0; c < d.n_classes; ++c) d.class_names.push_back(std::to_string(c));
    return d;
}

}  // namespace hgq
