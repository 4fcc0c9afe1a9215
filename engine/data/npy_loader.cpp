// SPDX-License-Identifier: GPL-3.0-or-later
// NumPy .npy (format 1.0–3.0), C order, little-endian (or single-byte) numeric dtypes. The header
// is a Python dict literal; it is read by hand, with every size checked before it is trusted.
#include <cctype>
#include <charconv>
#include <cstring>

#include "core/error.h"
#include "data/dataset.h"
#include "data/load_util.h"

namespace hgq {
namespace {

constexpr size_t kMaxHeaderBytes = 1 << 16;  // numpy writes ~128; it refuses > 10000 by default
constexpr size_t kMaxDims = 64;              // numpy 2's NPY_MAXDIMS

struct NpyArray {
    std::string descr;  // as written, for messages
    char kind = 0;      // 'b' bool, 'u' unsigned, 'i' signed, 'f' float
    size_t elem = 0;    // bytes per element
    std::vector<int64_t> shape;
    const char* data = nullptr;
};

std::string shape_text(const std::vector<int64_t>& s) {
    std::string t = "(";
    for (size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
    return t + (s.size() == 1 ? ",)" : ")");
}

// Position just after "'key':" (or "\"key\":") and any spaces, or npos.
size_t value_of(const std::string& h, const char* key) {
    for (const char q : {'\'', '"'}) {
        const std::string k = q + std::string(key) + q;
        size_t p = h.find(k);
        if (p == std::string::npos) continue;
        p += k.size();
        while (p < h.size() && h[p] == ' ') ++p;
        if (p >= h.size() || h[p] != ':') continue;
        ++p;
        while (p < h.size() && h[p] == ' ') ++p;
        return p;
    }
    return std::string::npos;
}

// strchr would also match the terminating NUL, which a hostile header can contain.
bool one_of(const char* set, char c) {
    return c != '\0' && std::strchr(set, c) != nullptr;
}

// 'descr': an optional byte order (<, >, |, =; numpy also accepts none), a kind and a size.
void parse_descr(const std::string& h, const std::string& path, NpyArray& a) {
    const size_t p = value_of(h, "descr");
    if (p == std::string::npos || p >= h.size())
        throw Error::bad_input(path, "no dtype ('descr') in the .npy header",
                               "save it with numpy.save");
    const size_t close = h.find(h[p], p + 1);
    if ((h[p] != '\'' && h[p] != '"') || close == std::string::npos)
        throw Error::bad_input(path, "the dtype is not a plain numeric type",
                               "structured arrays are not supported: save one array per file");
    a.descr = h.substr(p + 1, close - p - 1);
    std::string_view d = a.descr;
    const bool has_order = !d.empty() && one_of("<>|=", d.front());
    const char order = has_order ? d.front() : '=';
    if (has_order) d.remove_prefix(1);
    size_t size = 0;
    const bool ok =
        d.size() >= 2 && d.size() <= 3 &&
        std::from_chars(d.data() + 1, d.data() + d.size(), size).ptr == d.data() + d.size();
    const std::string sizes = ok && d[0] == 'f' ? "48" : ok && d[0] == 'b' ? "1" : "1248";
    if (!ok || !one_of("buif", d[0]) || size > 8 ||
        sizes.find(char('0' + size)) == std::string::npos)
        throw Error::bad_input(path, "dtype " + data::quoted(a.descr) + " is not supported",
                               "use float32/64, (u)int8/16/32/64 or bool");
    if (order == '>' && size > 1)
        throw Error::bad_input(path, "big-endian .npy arrays are not supported",
                               "save with numpy.save(path, a.astype(a.dtype.newbyteorder('<')))");
    a.kind = d[0];
    a.elem = size;
}

// One entry of the shape tuple: digits (Python 2 may append L).
int64_t parse_dim(std::string_view t, const std::string& path) {
    while (!t.empty() && std::isspace(uint8_t(t.front()))) t.remove_prefix(1);
    while (!t.empty() && std::isspace(uint8_t(t.back()))) t.remove_suffix(1);
    if (!t.empty() && t.back() == 'L') t.remove_suffix(1);
    int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || ptr != t.data() + t.size() || (ec == std::errc() && v < 0) ||
        (ec != std::errc() && ec != std::errc::result_out_of_range))
        throw Error::bad_input(path, "shape entry " + data::quoted(t) + " is not a size",
                               "the .npy header is damaged");
    if (ec == std::errc::result_out_of_range)
        throw Error::bad_input(path, "shape entry " + data::quoted(t) + " is too large",
                               "the .npy header is damaged");
    return v;
}

void parse_shape(const std::string& h, const std::string& path, NpyArray& a) {
    const size_t p = value_of(h, "shape");
    const size_t close = p == std::string::npos ? p : h.find(')', p);
    if (p == std::string::npos || p >= h.size() || h[p] != '(' || close == std::string::npos)
        throw Error::bad_input(path, "no shape in the .npy header", "save it with numpy.save");
    const std::string_view dims = std::string_view(h).substr(p + 1, close - p - 1);
    // "()" is a scalar, "(3,)" one dimension, "(3, 4)" two: only a last entry may be blank.
    for (size_t start = 0;;) {
        const size_t comma = dims.find(',', start);
        const std::string_view entry =
            dims.substr(start, comma == dims.npos ? dims.npos : comma - start);
        const bool blank = entry.find_first_not_of(" \t\n") == std::string_view::npos;
        if (!(blank && comma == std::string_view::npos)) a.shape.push_back(parse_dim(entry, path));
        if (a.shape.size() > kMaxDims)
            throw Error::bad_input(path, "more than " + std::to_string(kMaxDims) + " dimensions",
                                   "the .npy header is damaged");
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
}

// Magic, version and header length; returns the header and sets `data_at`.
std::string npy_header(const std::string& raw, const std::string& path, size_t& data_at) {
    if (raw.size() < 10 || raw.compare(0, 6, "\x93NUMPY") != 0)
        throw Error::bad_input(path, "not a .npy file (bad magic)", "save it with numpy.save");
    const int major = uint8_t(raw[6]);
    if (major < 1 || major > 3)
        throw Error::bad_input(path,
                               ".npy format version " + std::to_string(major) + "." +
                                   std::to_string(uint8_t(raw[7])) + " is not supported",
                               "formats 1.0 to 3.0 are read; save it with numpy.save");
    const size_t len_bytes = major == 1 ? 2 : 4;
    size_t hlen = 0;
    for (size_t i = 0; i < len_bytes && 8 + i < raw.size(); ++i)
        hlen |= size_t(uint8_t(raw[8 + i])) << (8 * i);
    if (hlen > kMaxHeaderBytes)
        throw Error::bad_input(path,
                               "the .npy header claims " + std::to_string(hlen) +
                                   " bytes, more than the " + std::to_string(kMaxHeaderBytes) +
                                   " read",
                               "the file is damaged or not written by numpy.save");
    data_at = 8 + len_bytes + hlen;
    if (raw.size() < data_at) throw Error::bad_input(path, "the .npy header is truncated");
    return raw.substr(8 + len_bytes, hlen);
}

NpyArray parse_npy(const std::string& raw, const std::string& path) {
    size_t data_at = 0;
    const std::string header = npy_header(raw, path, data_at);
    NpyArray a;
    parse_descr(header, path, a);
    const size_t fo = value_of(header, "fortran_order");
    if (fo != std::string::npos && header.compare(fo, 4, "True") == 0)
        throw Error::bad_input(path, "Fortran-ordered arrays are not supported",
                               "save with numpy.save(path, numpy.ascontiguousarray(a))");
    parse_shape(header, path, a);
    const auto count = checked_product(a.shape);
    const auto bytes = count ? checked_mul(*count, int64_t(a.elem)) : std::nullopt;
    const int64_t found = int64_t(raw.size() - data_at);
    if (!bytes || *bytes != found)
        throw Error::bad_input(path,
                               "shape " + shape_text(a.shape) + " of '" + a.descr + "' needs " +
                                   (bytes ? std::to_string(*bytes) : "more than 2^63") +
                                   " data bytes, found " + std::to_string(found),
                               bytes && *bytes > found ? "the file is truncated"
                                                       : "the header does not match the data");
    a.data = raw.data() + data_at;
    return a;
}

template <class T>
void copy_as(const NpyArray& a, Scalar* out, size_t n) {
    for (size_t i = 0; i < n; ++i) {
        T v;
        std::memcpy(&v, a.data + i * sizeof v, sizeof v);
        out[i] = Scalar(v);
    }
}

// All elements as Scalar; the dtype was checked by parse_descr.
void copy_values(const NpyArray& a, Scalar* out, size_t n) {
    const int code = a.kind * 16 + int(a.elem);
    switch (code) {
        case 'f' * 16 + 4:
            return copy_as<float>(a, out, n);
        case 'f' * 16 + 8:
            return copy_as<double>(a, out, n);
        case 'i' * 16 + 1:
            return copy_as<int8_t>(a, out, n);
        case 'i' * 16 + 2:
            return copy_as<int16_t>(a, out, n);
        case 'i' * 16 + 4:
            return copy_as<int32_t>(a, out, n);
        case 'i' * 16 + 8:
            return copy_as<int64_t>(a, out, n);
        case 'u' * 16 + 2:
            return copy_as<uint16_t>(a, out, n);
        case 'u' * 16 + 4:
            return copy_as<uint32_t>(a, out, n);
        case 'u' * 16 + 8:
            return copy_as<uint64_t>(a, out, n);
        default:
            return copy_as<uint8_t>(a, out, n);  // u1, b1
    }
}

// Integer label i; an unsigned 64-bit value beyond int64 is out of range as it is.
int64_t label_at(const NpyArray& a, size_t i, int n_classes, const std::string& path) {
    const char* p = a.data + i * a.elem;
    auto read = [&](auto v) {
        std::memcpy(&v, p, sizeof v);
        return v;
    };
    if (a.kind == 'u' && a.elem == 8 && read(uint64_t{}) > uint64_t(INT64_MAX))
        data::label_out_of_range(std::to_string(read(uint64_t{})), n_classes, path, int64_t(i) + 1);
    switch (a.kind == 'i' ? -int(a.elem) : int(a.elem)) {
        case -1:
            return read(int8_t{});
        case -2:
            return read(int16_t{});
        case -4:
            return read(int32_t{});
        case -8:
            return read(int64_t{});
        case 2:
            return read(uint16_t{});
        case 4:
            return read(uint32_t{});
        case 8:
            return int64_t(read(uint64_t{}));
        default:
            return read(uint8_t{});
    }
}

}  // namespace

Dataset load_npy(const std::string& x_path, const std::string& y_path, int n_classes) {
    const std::string xr = read_file_maybe_gz(x_path), yr = read_file_maybe_gz(y_path);
    const NpyArray x = parse_npy(xr, x_path), y = parse_npy(yr, y_path);
    if (x.shape.size() < 2)
        throw Error::bad_input(x_path, "x has shape " + shape_text(x.shape),
                               "x must have shape (N, features...)");
    if (y.shape.size() != 1 || y.shape[0] != x.shape[0])
        throw Error::bad_input(y_path, "y has shape " + shape_text(y.shape) +
                                           ", it must have shape (" + std::to_string(x.shape[0]) +
                                           ",)");
    if (y.kind == 'f') throw Error::bad_input(y_path, "labels must be integers");
    Dataset d;
    d.origin = x_path;
    const int64_t N = x.shape[0];
    data::size_dataset(d, N, std::vector<int64_t>(x.shape.begin() + 1, x.shape.end()), x_path);
    copy_values(x, d.x.data(), size_t(d.x.size()));
    d.y.resize(size_t(N));
    int64_t max_label = 0;
    for (int64_t r = 0; r < N; ++r) {
        const int64_t v = label_at(y, size_t(r), n_classes, y_path);
        data::check_label(v, n_classes, y_path, r + 1);
        d.y[r] = int32_t(v);
        max_label = std::max(max_label, v);
    }
    data::set_integer_classes(d, n_classes, max_label);
    return d;
}

}  // namespace hgq
