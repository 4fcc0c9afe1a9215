// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers shared by the tests: JSON → tensors and llm.c-style comparisons that print the max
// difference of every quantity.
#pragma once
#include <QtTest>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/types.h"

namespace hgq::test {

inline nlohmann::json load_json(const std::string& path) {
    std::ifstream in(path);
    if (!in) qFatal("cannot open %s", path.c_str());
    return nlohmann::json::parse(in);
}

// A JSON number, or null (−∞ in the golden file) as -inf.
inline double num(const nlohmann::json& v) {
    return v.is_null() ? -INFINITY : v.get<double>();
}

// Nested list (rows × cols, or a flat list as 1 × n) → row-major matrix.
inline Mat to_mat(const nlohmann::json& j) {
    if (!j.is_array() || j.empty() || !j[0].is_array()) {
        Mat m(1, j.size());
        for (size_t c = 0; c < j.size(); ++c) m(0, c) = Scalar(num(j[c]));
        return m;
    }
    Mat m(j.size(), j[0].size());
    for (size_t r = 0; r < j.size(); ++r)
        for (size_t c = 0; c < j[r].size(); ++c) m(r, c) = Scalar(num(j[r][c]));
    return m;
}

// Compares element by element with |a − e| <= abs_tol + rel_tol·|e|; prints the max absolute and
// relative difference of the quantity; returns whether all elements pass.
struct Comparator {
    double rel_tol, abs_tol;
    int failures = 0;
    double worst_rel = 0;

    bool check(const std::string& what, const Mat& actual, const nlohmann::json& expected_json) {
        const Mat expected = to_mat(expected_json);
        if (actual.size() != expected.size()) {
            std::printf("  %-44s SIZE MISMATCH %ld vs %ld\n", what.c_str(), long(actual.size()),
                        long(expected.size()));
            ++failures;
            return false;
        }
        double max_abs = 0, max_rel = 0;
        bool ok = true;
        for (Eigen::Index e = 0; e < actual.size(); ++e) {
            const double a = actual.data()[e], x = expected.data()[e];
            if (std::isinf(x) && a == x) continue;
            const double d = std::fabs(a - x);
            max_abs = std::max(max_abs, d);
            if (x != 0) max_rel = std::max(max_rel, d / std::fabs(x));
            if (!(d <= abs_tol + rel_tol * std::fabs(x))) ok = false;
        }
        worst_rel = std::max(worst_rel, max_rel);
        std::printf("  %-44s max abs %.3e  max rel %.3e  %s\n", what.c_str(), max_abs, max_rel,
                    ok ? "ok" : "FAIL");
        if (!ok) ++failures;
        return ok;
    }
    bool check(const std::string& what, double actual, const nlohmann::json& expected) {
        Mat m(1, 1);
        m(0, 0) = Scalar(actual);
        return check(what, m, nlohmann::json::array({expected}));
    }
};

}  // namespace hgq::test
