// SPDX-License-Identifier: GPL-3.0-or-later
// Edge cases of the data module that test_loaders.cpp does not reach: validate_dataset's messages,
// flat IDX images and foreign element types, ARFF numeric / missing labels, NPY 2.0 headers and
// label checks, split_with_test and subset, multi-member gzip, label-only CSVs and splits that
// would leave no training rows.
#include <zlib.h>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "config/json_reader.h"
#include "core/error.h"
#include "data/dataset.h"
#include "data_test_util.h"

using namespace hgq;
using namespace hgq::test;

namespace {

// A .npy file of format `major`.0: version 1 has a 2-byte header length, 2 and 3 a 4-byte one.
std::string npy(int major, const std::string& descr, const std::string& shape,
                const std::string& data) {
    const size_t len_bytes = major == 1 ? 2 : 4;
    std::string h =
        "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shape + "), }";
    while ((8 + len_bytes + h.size() + 1) % 64) h += ' ';
    h += '\n';
    std::string out = std::string("\x93NUMPY", 6) + char(major) + '\0';
    for (size_t i = 0; i < len_bytes; ++i) out += char((h.size() >> (8 * i)) & 0xff);
    return out + h + data;
}

// A CSV with `n` distinct string labels.
std::string many_classes(int n) {
    std::string s = "a,y\n";
    for (int i = 0; i < n; ++i) s += "1,c" + std::to_string(i) + "\n";
    return s;
}

// `columns` header fields, then `rows` one-field rows: rows × columns cells the text cannot fill.
std::string wide_csv(int columns, int rows) {
    std::string s = "c0";
    for (int c = 1; c < columns; ++c) s += ",c" + std::to_string(c);
    s += '\n';
    for (int r = 0; r < rows; ++r) s += "1\n";
    return s;
}
std::string wide_arff(int attributes, int rows) {
    std::string s = "@relation r\n";
    for (int c = 0; c < attributes; ++c) s += "@attribute a" + std::to_string(c) + " real\n";
    s += "@data\n";
    for (int r = 0; r < rows; ++r) s += "1\n";
    return s;
}

// N rows whose single feature and label are the row number, so a row's origin stays visible.
Dataset numbered(int n) {
    Dataset d;
    d.x.resize(n, 1);
    for (int r = 0; r < n; ++r) {
        d.x(r, 0) = Scalar(r);
        d.y.push_back(r);
    }
    d.n_classes = n;
    d.sample_shape = {1};
    d.origin = "numbered";
    return d;
}

}  // namespace

class DataTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string path(const char* name) { return dir_.filePath(name).toStdString(); }

  private slots:
    void validateNamesOriginSampleAndFeature() {
        Dataset d;
        d.origin = "o.csv";
        d.x = Mat::Zero(3, 2);
        d.y = {0, 1, 0};
        d.n_classes = 2;
        validate_dataset(d);  // clean data passes
        d.x(2, 1) = Scalar(NAN);
        expect_error([&] { validate_dataset(d); }, {"o.csv", "sample 3", "feature 2", "NaN"});
        d.x(2, 1) = Scalar(INFINITY);
        expect_error([&] { validate_dataset(d); }, {"sample 3", "infinite"});
        d.x(2, 1) = 0;
        d.y[1] = 5;
        expect_error([&] { validate_dataset(d); }, {"o.csv", "sample 2", "label 5"});
    }
    void csvNanFeatureIsRejectedWhileParsing() {
        // from_chars accepts "nan", so the loader itself must refuse it, with line and column.
        write(path("nan.csv"), "a,b,y\n1,2,0\n3,nan,1\n");
        expect_error([&] { load_csv(path("nan.csv"), {}); },
                     {"nan.csv:line 3", "column 2", "not a finite number"});
    }
    void csvWithoutFeaturesIsRejected() {
        write(path("bare.csv"), "y\n0\n1\n");
        bool threw = false;
        try {
            load_csv(path("bare.csv"), {});
        } catch (const Error&) {
            threw = true;
        }
        QVERIFY(threw);
    }
    void idxFlatImagesAndForeignTypes() {
        write(path("flat.idx"),
              be32(0x802) + be32(2) + be32(3) + std::string("\x01\x02\x03\x04\x05\x06", 6));
        write(path("lab.idx"), be32(0x801) + be32(2) + std::string("\x00\x02", 2));
        const Dataset d = load_idx(path("flat.idx"), path("lab.idx"));
        QCOMPARE(d.sample_shape, (Shape{3}));
        QCOMPARE(double(d.x(1, 2)), 6.0);
        QCOMPARE(d.n_classes, 3);  // max label + 1 when n_classes is not given
        QCOMPARE(d.class_names, (std::vector<std::string>{"0", "1", "2"}));
        write(path("sbyte.idx"),
              be32(0x903) + be32(2) + be32(1) + be32(1) + std::string(2, '\x01'));
        expect_error([&] { load_idx(path("sbyte.idx"), path("lab.idx")); },
                     {"sbyte.idx", "element type 9"});
        write(path("lab2d.idx"), be32(0x802) + be32(2) + be32(1) + std::string(2, '\x00'));
        expect_error([&] { load_idx(path("flat.idx"), path("lab2d.idx")); },
                     {"lab2d.idx", "2 dimensions"});
    }
    void gzipWithSeveralMembersIsReadWhole() {
        write_gz_member(path("multi.csv.gz"), "a,y\n1,0\n2,1\n", "wb");
        write_gz_member(path("multi.csv.gz"), "3,0\n4,1\n", "ab");
        const Dataset d = load_csv(path("multi.csv.gz"), {});
        QCOMPARE(d.size(), int64_t(4));
    }
    void arffClassAttributeAndNumericLabels() {
        // "class" is the default label even when it is not the last attribute.
        write(path("first.arff"),
              "@relation r\n@attribute class {x,y}\n@attribute a numeric\n@attribute b real\n"
              "@data\ny,1,2\nx,3,4\n");
        Dataset d = load_arff(path("first.arff"), {});
        QCOMPARE(d.y, (std::vector<int32_t>{1, 0}));
        QCOMPARE(d.sample_shape, (Shape{2}));
        QCOMPARE(double(d.x(1, 1)), 4.0);
        QCOMPARE(d.class_names, (std::vector<std::string>{"x", "y"}));
        // A numeric label column behaves like integer CSV labels.
        write(path("num.arff"),
              "@relation r\n@attribute a numeric\n@attribute class integer\n@data\n1,2\n3,0\n");
        d = load_arff(path("num.arff"), {});
        QCOMPARE(d.y, (std::vector<int32_t>{2, 0}));
        QCOMPARE(d.n_classes, 3);
        write(path("q.arff"),
              "@relation r\n@attribute a numeric\n@attribute class {x,y}\n@data\n1,x\n2,?\n");
        expect_error([&] { load_arff(path("q.arff"), {}); }, {"q.arff:line 6", "label is missing"});
        write(path("s.arff"),
              "@relation r\n@attribute s string\n@attribute class {x,y}\n@data\nab,x\n");
        expect_error([&] { load_arff(path("s.arff"), {}); }, {"s.arff:line 2", "'string'"});
    }
    void npyVersion2AndLabelChecks() {
        write(path("x3.npy"), npy(2, "<f8", "2, 1, 2", bytes_of<double>({1, 2, 3, -4})));
        write(path("y.npy"), npy(3, "<i4", "2,", bytes_of<int32_t>({0, 3})));
        const Dataset d = load_npy(path("x3.npy"), path("y.npy"));
        QCOMPARE(d.sample_shape, (Shape{1, 2}));
        QCOMPARE(double(d.x(1, 1)), -4.0);
        QCOMPARE(d.n_classes, 4);
        expect_error([&] { load_npy(path("x3.npy"), path("y.npy"), 3); }, {"y.npy", "label 3"});
        write(path("yf.npy"), npy(1, "<f4", "2,", bytes_of<float>({0, 1})));
        expect_error([&] { load_npy(path("x3.npy"), path("yf.npy")); }, {"yf.npy", "integers"});
        write(path("y3.npy"), npy(1, "<i8", "3,", bytes_of<int64_t>({0, 1, 0})));
        expect_error([&] { load_npy(path("x3.npy"), path("y3.npy")); }, {"y3.npy", "(2,)"});
        write(path("bad.npy"), "PK\x03\x04 not numpy");
        expect_error([&] { load_npy(path("bad.npy"), path("y.npy")); }, {"bad.npy", "magic"});
    }
    // One hostile file (or pair) per row, as a probe found them: each must be refused with
    // BadInput naming the file and the problem, quoting the offending value compactly, instead
    // of a SIGFPE, a wrapped size, an allocation of what a header claims, or an internal error.
    void hostileFiles_data() {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QByteArray>("x");
        QTest::addColumn<QByteArray>("y");
        QTest::addColumn<QStringList>("needles");
        const auto row = [](const char* name, const char* format, const std::string& x,
                            const std::string& y, const QStringList& needles) {
            QTest::newRow(name) << QString(format) << QByteArray::fromStdString(x)
                                << QByteArray::fromStdString(y) << needles;
        };
        const std::string x2 = npy_of("<f4", "2, 1", bytes_of<float>({1, 2}));
        const std::string y2 = npy_of("<i8", "2,", bytes_of<int64_t>({0, 1}));
        const std::string lab100 = be32(0x801) + be32(100) + std::string(100, '\0');
        row("npy (300, 0)", "npy", npy_of("<f4", "300, 0", ""),
            npy_of("<i8", "300,", std::string(2400, '\0')), {"x.npy", "0 features"});
        row("npy (0, 5)", "npy", npy_of("<f4", "0, 5", ""), npy_of("<i8", "0,", ""),
            {"x.npy", "no samples"});
        row("npy dimension beyond int64", "npy", npy_of("<f4", "99999999999999999999999, 1", ""),
            y2, {"x.npy", "'99999999999999999999999'", "too large"});
        row("npy (2^61, 1) without data", "npy", npy_of("<f4", "2305843009213693952, 1", ""), y2,
            {"x.npy", "(2305843009213693952, 1)", "more than 2^63", "found 0"});
        row("npy dtype '<f99999999999'", "npy", npy_of("<f99999999999", "2, 1", ""), y2,
            {"x.npy", "'<f99999999999'", "not supported"});
        row("npy dtype 'U8'", "npy", npy_of("<U8", "2, 1", std::string(64, 'a')), y2,
            {"x.npy", "'<U8'", "not supported"});
        row("npy negative dimension", "npy", npy_of("<f4", "-1, 1", ""), y2,
            {"x.npy", "'-1'", "not a size"});
        row("npy structured dtype", "npy",
            npy_with_header(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }",
                            std::string(8, '\0')),
            y2, {"x.npy", "structured"});
        row("npy header length 2^32 - 1", "npy",
            std::string("\x93NUMPY\x02\x00\xff\xff\xff\xff", 12), y2,
            {"x.npy", "header claims 4294967295 bytes"});
        row("npy version 9.0", "npy", std::string("\x93NUMPY\x09\x00\x10\x00", 10), y2,
            {"x.npy", "version 9.0"});
        row("npy label 2^40", "npy", x2,
            npy_of("<i8", "2,", bytes_of<int64_t>({0, int64_t(1) << 40})),
            {"y.npy", "label 1099511627776 of sample 2 is out of range"});
        row("npy label 2^64 - 1", "npy", x2, npy_of("<u8", "2,", bytes_of<uint64_t>({~0ull, 0})),
            {"y.npy", "label 18446744073709551615 of sample 1 is out of range"});
        row("npy label -1", "npy", x2, npy_of("<i4", "2,", bytes_of<int32_t>({0, -1})),
            {"y.npy", "label -1 of sample 2"});
        row("idx 100 × 0 × 0", "idx", be32(0x803) + be32(100) + be32(0) + be32(0), lab100,
            {"i.idx", "0 features"});
        row("idx 65536 × 2^24 × 2^24", "idx",
            be32(0x803) + be32(65536) + be32(1 << 24) + be32(1 << 24), lab100,
            {"i.idx", "65536 × 16777216 × 16777216"});
        row("idx 0 images", "idx", be32(0x803) + be32(0) + be32(2) + be32(2), be32(0x801) + be32(0),
            {"i.idx", "no samples"});
        row("csv label 100000000", "csv", "a,y\n1,0\n2,100000000\n", "",
            {"t.csv:line 3", "label 100000000 is out of range", "below 100000"});
        row("csv label 2147483647", "csv", "a,y\n1,0\n2,2147483647\n", "",
            {"t.csv:line 3", "label 2147483647 is out of range"});
        row("csv label of 300 digits", "csv", "a,y\n1,0\n2," + std::string(300, '9') + "\n", "",
            {"t.csv:line 3", "label 1e+300 is out of range"});
        row("csv feature 1e308", "csv", "a,y\n1e308,0\n", "",
            {"t.csv:line 2", "'1e308'", "float32"});
        row("csv feature -1e999", "csv", "a,y\n1,0\n-1e999,1\n", "",
            {"t.csv:line 3", "'-1e999'", "not a finite number"});
        row("csv cell of 100000 characters", "csv", "a,y\n" + std::string(100000, 'x') + ",0\n", "",
            {"t.csv:line 2", "(100000 characters)", "not a number"});
        row("csv 100001 classes", "csv", many_classes(100001), "",
            {"t.csv", "100001 classes", "more than 100000"});
        row("csv 10^5 columns, 10^6 short rows", "csv", wide_csv(100000, 1000000), "",
            {"t.csv:line 2", "expected 100000 fields, found 1"});
        row("csv empty", "csv", "", "", {"t.csv", "no data rows"});
        row("arff 10^5 attributes, 10^6 short rows", "arff", wide_arff(100000, 1000000), "",
            {"t.arff:line 100003", "expected 100000 fields, found 1"});
        row("arff label 2147483647", "arff",
            "@relation r\n@attribute a numeric\n@attribute class integer\n@data\n1,2147483647\n",
            "", {"t.arff:line 5", "label 2147483647 is out of range"});
        row("arff type of 5000 characters", "arff",
            "@relation r\n@attribute a " + std::string(5000, 't') + "\n@attribute c {x}\n@data\n",
            "", {"t.arff:line 2", "(5000 characters)"});
    }
    void hostileFiles() {
        QFETCH(QString, format);
        QFETCH(QByteArray, x);
        QFETCH(QByteArray, y);
        QFETCH(QStringList, needles);
        const std::string xp = path(format == "npy"   ? "x.npy"
                                    : format == "idx" ? "i.idx"
                                    : format == "csv" ? "t.csv"
                                                      : "t.arff");
        const std::string yp = path(format == "npy" ? "y.npy" : "l.idx");
        write(xp, x.toStdString());
        write(yp, y.toStdString());
        std::vector<std::string> n;
        for (const QString& s : needles) n.push_back(s.toStdString());
        try {
            if (format == "npy") load_npy(xp, yp);
            if (format == "idx") load_idx(xp, yp);
            if (format == "csv") load_csv(xp, {});
            if (format == "arff") load_arff(xp, {});
            QFAIL("no error");
        } catch (const Error& e) {
            qInfo("%s", e.what());
            QCOMPARE(int(e.kind()), int(ErrorKind::BadInput));
            QVERIFY2(std::strlen(e.what()) < 400, "a message quotes the file compactly");
            for (const auto& needle : n)
                QVERIFY2(std::string(e.what()).find(needle) != std::string::npos, needle.c_str());
        }
    }
    void sizesAreCheckedIn64Bits() {
        QCOMPARE(shape_size({28, 28, 1}), 784);
        QCOMPARE(shape_size({}), 1);
        expect_error([] { shape_size({65536, 65536}); }, {"65536 × 65536", "2147483647"});
        expect_error([] { shape_size({4, -1}, "model"); }, {"model", "negative"});
        QCOMPARE(checked_mul(int64_t(1) << 31, int64_t(1) << 31), int64_t(1) << 62);
        QVERIFY(!checked_mul(INT64_MAX, 2));
        QVERIFY(!checked_mul(-1, 2));
        QVERIFY(!checked_product({65536, 1 << 24, 1 << 24}));  // 2^64 would wrap to 0
        QCOMPARE(checked_product({}), int64_t(1));
    }
    void jsonNumberBeyondDoubleOrNestedTooDeepIsBadInput() {
        // nlohmann reports it as out_of_range, not parse_error: it must still name the position.
        expect_error([] { parse_json_text("{\"a\": 1,\n \"b\": 1e999}", "c.json"); },
                     {"c.json:2:7", "1e999", "out of range"});
        // Printing or walking a million levels overflowed the stack; strings do not count.
        const std::string deep = "{\"a\": \"[[[[\", \"b\": " + std::string(300, '[') + "]";
        expect_error([&] { parse_json_text(deep, "d.json"); },
                     {"d.json:1:275", "deeper than 256 levels"});
        parse_json_text("{\"a\": \"" + std::string(300, '[') + "\"}", "s.json");
    }
    void subsetKeepsOrderAndMetadata() {
        const Dataset all = numbered(5);
        const Dataset s = all.subset({3, 0, 3});
        QCOMPARE(s.y, (std::vector<int32_t>{3, 0, 3}));
        QCOMPARE(double(s.x(0, 0)), 3.0);
        QCOMPARE(s.n_classes, 5);
        QCOMPARE(s.origin, std::string("numbered"));
        QCOMPARE(s.sample_shape, (Shape{1}));
    }
    void splitWithTestCutsValidationFromTrain() {
        Dataset test = numbered(3);
        test.origin = "official test";
        const Splits s = split_with_test(numbered(20), test, 0.25, 9);
        QCOMPARE(s.validation.size(), int64_t(5));
        QCOMPARE(s.train.size(), int64_t(15));
        QCOMPARE(s.test.origin, std::string("official test"));
        QCOMPARE(s.test.y, test.y);  // the official split is kept as it is
        std::vector<int32_t> seen = s.train.y;
        seen.insert(seen.end(), s.validation.y.begin(), s.validation.y.end());
        std::sort(seen.begin(), seen.end());
        for (int r = 0; r < 20; ++r) QCOMPARE(seen[r], r);  // every training row exactly once
        // Features travel with their labels.
        for (int64_t r = 0; r < s.train.size(); ++r)
            QCOMPARE(double(s.train.x(r, 0)), double(s.train.y[r]));
    }
    void splitNeverLeavesTrainEmpty() {
        // 0.45 + 0.45 < 1, but each rounds 4.5 up to 5 on 10 rows: nothing is left to train on.
        bool handled = false;  // a BadInput naming "split", or a split that still has train rows
        try {
            handled = split_dataset(numbered(10), 0.45, 0.45, 1).train.size() > 0;
        } catch (const Error& e) {
            handled = std::string(e.what()).find("split") != std::string::npos;
        }
        QVERIFY(handled);
    }
};

QTEST_GUILESS_MAIN(DataTest)
#include "test_data.moc"
