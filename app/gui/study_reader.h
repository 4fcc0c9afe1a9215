// SPDX-License-Identifier: GPL-3.0-or-later
// The GUI's window on a study: a read-only connection polled for changes (PRAGMA data_version
// moves whenever any process commits), turning rows into the views' value types. Reads are
// small (no per-layer JSON except for the selected point), so polling never stalls the UI.
#pragma once
#include <QString>
#include <map>
#include <memory>

#include "plot_data.h"
#include "run_table_model.h"
#include "store/study.h"

namespace hgq::gui {

struct StudyView {
    QVector<widgets::RunRow> runs;
    QVector<widgets::PointView> points;
    std::map<qint64, int> color_of_run;  // run id → palette index
    // The latest synthesis of every point synthesized for the most used family, and the fit.
    QVector<widgets::SynthPointView> synth;
    widgets::PowerFitView fit;
    const widgets::SynthPointView* synthesis(qint64 point) const;
};

struct ResourceRow {
    QString layer, weight_type, out_types;
    qint64 ebops = 0, weights = 0, pruned_weights = 0, outputs = 0, pruned_outputs = 0;
    double lut = 0;
};

// Everything the bit views and the resources panel show for one point.
struct PointDetails {
    widgets::PointView point;
    QVector<widgets::LayerBits> bits;
    QVector<widgets::KernelView> kernels;  // dense and conv layers, in model order
    QVector<ResourceRow> resources;
    nlohmann::json summary;  // point, report and provenance (what Export writes)
};

class StudyReader {
  public:
    explicit StudyReader(const QString& path);
    QString path() const { return path_; }
    bool changed();  // true once after every commit by anyone (and on the first call)
    StudyView read();
    QVector<widgets::RunCurves> curves(const QVector<qint64>& runs);
    PointDetails details(qint64 point);
    store::Study& study() { return *study_; }

  private:
    void readSyntheses(StudyView& view);
    QString path_;
    std::unique_ptr<store::Study> study_;
    int64_t version_ = -1;
    std::map<qint64, int> colors_;  // stable across refreshes: assigned in order of appearance
};

}  // namespace hgq::gui
