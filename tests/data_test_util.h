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
