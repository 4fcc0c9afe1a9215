// SPDX-License-Identifier: GPL-3.0-or-later
// What the views draw: plain Qt value types, filled by the app from the study. The widgets know
// nothing of the engine or of SQLite, so each can be tested with hand-made data.
#pragma once
#include <QColor>
#include <QString>
#include <QVector>

namespace hgq::widgets {

// One deployed point of a study (a Pareto candidate of some run).
struct PointView {
    qint64 id = 0, run = 0;
    QString run_name;
    int epoch = 0;
    double beta = 0;
    double val_accuracy = 0;
    double test_accuracy = 0;  // of the bit-exact integer model: the y axis
    double ebops = 0;          // exact EBOPs: the x axis (log)
    double lut = 0;            // LUT estimate
    double luts_synth = 0;     // synthesized LUTs (yosys); 0: not synthesized
    double test_accuracy_float = 0;
    int color_index = -1;  // run_color index shared by every view; -1: order of appearance
    // A run still training: one of its current Pareto checkpoints, not yet deployed. Then
    // test_accuracy holds the validation accuracy, ebops the training-form estimate, and id is
    // negative (−checkpoint id). Drawn hollow, never on the front, replaced when deployed.
    bool provisional = false;
    // A derived point (`hgq whatif --save`): the point it was derived from (0: trained). Drawn
    // like any point, joined to its parent by a dashed line.
    qint64 parent = 0;
};

// The cost a Pareto view puts on its x axis.
enum class XAxis { Ebops, SynthLuts };
inline double x_of(const PointView& p, XAxis a) {
    return a == XAxis::SynthLuts ? p.luts_synth : p.ebops;
}

// A resource budget on the Pareto plot: a vertical line at the limit and the infeasible side
// shaded. Both costs are given (one converted through the LUT calibration) so the line stays
// right when the x axis switches between exact EBOPs and synthesized LUTs.
struct BudgetView {
    bool active = false;
    double ebops = 0;  // the limit on the EBOPs axis
    double luts = 0;   // the limit on the LUT axis (0: only an EBOPs budget, not drawn there)
    QString label;     // "xcvu9p · 2 % of LUTs = 23,644 LUTs"
};
inline double budget_x(const BudgetView& b, XAxis a) {
    return a == XAxis::SynthLuts ? b.luts : b.ebops;
}

// One synthesized point, for the LUT-vs-EBOPs calibration view.
struct SynthPointView {
    qint64 point = 0, run = 0;
    int color_index = -1;
    double ebops = 0, luts = 0, test_accuracy = 0, seconds = 0;
    qint64 carry = 0, ff = 0;
    QString family;
};

// LUTs ≈ coefficient · EBOPs^exponent fitted on log–log axes (the app fits; the view draws).
struct PowerFitView {
    bool valid = false;
    double coefficient = 0, exponent = 0, r2 = 0;
    int points = 0;
    QString family;  // the fit uses this family's points only
};

// Accuracies everywhere are fractions in [0, 1]; the views show percent.
struct EpochView {
    int epoch = 0;
    double loss = 0, val_accuracy = 0, ebops = 0, beta = 0;
};

struct RunCurves {
    qint64 run = 0;
    QString name;
    int color_index = -1;  // as in PointView
    QVector<EpochView> epochs;
    double target_ebops = 0;  // a β-controlled run's target (0: none), drawn beside its EBOPs
};

// Bit-width histograms of one layer of a point: hist[b] = number of elements with b bits.
struct LayerBits {
    QString name;
    QVector<qint64> weight_hist, act_hist;
};

// The quantized kernel of one layer: integer codes and fractional bits, row-major
// (rows × cols) with rows = inputs (conv: kh·kw·in_c, ordered (ky, kx, c)) and cols = outputs.
// A weight's value is code · 2^-f; its bit-width is the span of its code (0 = pruned).
struct KernelView {
    QString layer;
    int rows = 0, cols = 0;
    QVector<qint64> codes;
    QVector<int> f;
    int kernel_h = 1, kernel_w = 1, in_c = 0;  // in_c > 0: a conv kernel, drawn as kh × kw tiles
};

// The colour of run number `index` (0-based), the same in every view.
QColor run_color(int index);

}  // namespace hgq::widgets
