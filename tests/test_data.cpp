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

template <class T>
std::string bytes_of(std::initializer_list<T> values) {
    std::string s;
    for (T v : values) s.append(reinterpret_cast<const char*>(&v), sizeof v);
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
