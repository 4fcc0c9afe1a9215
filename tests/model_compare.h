// SPDX-License-Identifier: GPL-3.0-or-later
// Field-by-field equality of two integer models (every type, code and derived field), and the
// check that a model rebuilt from its stored types (types_json → model_from_types on a 1-row
// deployment) is the deployed one.
#pragma once
#include <QtTest>

#include "deploy/deploy.h"

namespace model_test {

inline bool same_formats(const std::vector<hgq::FixedFormat>& a,
                         const std::vector<hgq::FixedFormat>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (a[i].W != b[i].W || a[i].I != b[i].I || a[i].is_signed != b[i].is_signed ||
            a[i].q != b[i].q || a[i].o != b[i].o)
            return false;
    return true;
}

// Rebuilds `dep`'s model from its types on a skeleton deployed on one row of `calibration`.
inline void check_stored_types(hgq::Model& m, const hgq::Deployment& dep,
                               const hgq::Mat& calibration) {
    hgq::DeployOptions one;
    const hgq::Deployment skeleton = hgq::deploy(m, calibration.topRows(1), one);
    const hgq::IntegerModel back =
        hgq::model_from_types(skeleton.model, hgq::types_json(dep.model));
    QVERIFY(same_formats(back.input_fmt, dep.model.input_fmt));
    QCOMPARE(back.layers.size(), dep.model.layers.size());
    for (size_t l = 0; l < back.layers.size(); ++l) {
        const hgq::IntLayer &x = back.layers[l], &y = dep.model.layers[l];
        QCOMPARE(x.w_code, y.w_code);
        QCOMPARE(x.w_f, y.w_f);
        QCOMPARE(x.b_code, y.b_code);
        QCOMPARE(x.b_f, y.b_f);
        QCOMPARE(x.pool_f, y.pool_f);
        QCOMPARE(x.patch_index, y.patch_index);
        QCOMPARE(x.bias_preshifted, y.bias_preshifted);
        QVERIFY(same_formats(x.out_fmt, y.out_fmt));
    }
    QCOMPARE(hgq::summarize(back).ebops, dep.ebops);
}

}  // namespace model_test
