// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers of the data-module tests (test_loaders, test_data): writing plain and gzip files,
// big-endian words for IDX headers, and the bad-input expectation.
#pragma once
#include <zlib.h>
#include <QtTest>

#include <string>

#include "core/error.h"

namespace hgq::test {

// Appends one gzip member; "ab" after "wb" yields a multi-member file as `cat a.gz b.gz` does.
inline void write_gz_member(const std::string& path, const std::string& bytes, const char* mode) {
    gzFile f = gzopen(path.c_str(), mode);
    QVERIFY(f != nullptr);
    gzwrite(f, bytes.data(), unsigned(bytes.size()));
    gzclose(f);
}

inline void write(const std::string& path, const std::string& bytes, bool gz = false) {
    if (gz) {
        write_gz_member(path, bytes, "wb");
        return;
    }
    QFile f(QString::fromStdString(path));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes.data(), qint64(bytes.size()));
}

inline std::string be32(uint32_t v) {
    return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
}

// A .npy file of format `major`.0 around a literal header dict (padded to 64 bytes as numpy does).
inline std::string npy_with_header(int major, std::string dict, const std::string& data) {
    const size_t len_bytes = major == 1 ? 2 : 4;
    while ((8 + len_bytes + dict.size() + 1) % 64) dict += ' ';
    dict += '\n';
    std::string out = std::string("\x93NUMPY", 6) + char(major) + '\0';
    for (size_t i = 0; i < len_bytes; ++i) out += char((dict.size() >> (8 * i)) & 0xff);
    return out + dict + data;
}

// A version 1.0 .npy file of dtype `descr` and shape `shape` ("300, 0"), C order.
inline std::string npy_of(const std::string& descr, const std::string& shape,
                          const std::string& data) {
    return npy_with_header(
        1, "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shape + "), }", data);
}

template <class T>
std::string bytes_of(std::initializer_list<T> values) {
    std::string s;
    for (T v : values) s.append(reinterpret_cast<const char*>(&v), sizeof v);
    return s;
}

// Runs f, expects hgq::Error(BadInput) whose text contains every needle.
template <class F>
void expect_error(F f, std::initializer_list<std::string> needles) {
    try {
        f();
        QFAIL("no error");
    } catch (const Error& e) {
        qInfo("%s", e.what());
        QCOMPARE(int(e.kind()), int(ErrorKind::BadInput));
        for (const auto& n : needles)
            QVERIFY2(std::string(e.what()).find(n) != std::string::npos, n.c_str());
    }
}

}  // namespace hgq::test
