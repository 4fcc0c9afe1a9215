// SPDX-License-Identifier: GPL-3.0-or-later
#include "study_reader.h"

#include <algorithm>

#include "config/experiment.h"
#include "core/power_law.h"

namespace hgq::gui {

StudyReader::StudyReader(const QString& path)
    : path_(path),
      study_(std::make_unique<store::Study>(path.toStdString(), store::Study::Open::ReadOnly)) {}

bool StudyReader::changed() {
    const int64_t v = study_->data_version();
    if (v == version_) return false;
    version_ = v;
    return true;
}

namespace {
// Plots name a run by its id and sweep: two sweeps of one preset give runs of the same name.
QString display_name(qint64 id, qint64 sweep, const std::string& name) {
    QString text = QString("#%1 %2").arg(id).arg(QString::fromStdString(name));
    if (sweep > 0) text += QString(" · sweep %1").arg(sweep);
    return text;
}

widgets::PointView to_view(const store::PointRecord& r, const QString& run_name) {
    widgets::PointView v;
    v.id = r.id;
    v.run = r.run_id;
    v.run_name = run_name;
    v.epoch = r.epoch;
    v.beta = r.beta;
    v.val_accuracy = r.val_accuracy;
    v.test_accuracy = r.test_accuracy;
    v.test_accuracy_float = r.test_accuracy_float;
    v.ebops = double(r.ebops_exact);
    v.lut = r.lut_estimate;
    v.parent = r.parent_id;
    return v;
}
}  // namespace

StudyView StudyReader::read() {
    StudyView view;
    std::map<qint64, QString> names;
    std::map<qint64, widgets::RunRow*> rows;
    const auto runs = study_->runs();
    view.runs.reserve(qsizetype(runs.size()));
    for (const auto& r : runs) {
        if (!colors_.count(r.id)) colors_[r.id] = int(colors_.size());
        widgets::RunRow row;
        row.id = r.id;
        row.sweep = r.sweep_id;
        row.name = QString::fromStdString(r.name);
        row.status = QString::fromStdString(r.status);
        row.error = QString::fromStdString(r.error);
        row.epochs_done = r.epochs_done;
        row.epochs_planned = r.epochs_planned;
        row.seconds = r.train_seconds;
        row.color_index = colors_[r.id];
        names[r.id] = display_name(r.id, r.sweep_id, r.name);
        view.runs.push_back(row);
    }
    for (auto& row : view.runs) rows[row.id] = &row;
    for (const auto& p : study_->points(-1, false)) {
        view.points.push_back(to_view(p, names[p.run_id]));
        view.points.back().color_index = colors_[p.run_id];
        if (widgets::RunRow* row = rows[p.run_id]) {
            row->min_ebops = row->points ? std::min(row->min_ebops, double(p.ebops_exact))
                                         : double(p.ebops_exact);
            row->best_accuracy = std::max(row->best_accuracy, p.test_accuracy);
            ++row->points;
        }
    }
    // Runs still training show their current front, provisionally, so the plot grows live.
    for (const auto& r : runs) {
        if (r.status != "running") continue;
        for (const auto& [id, c] : study_->front_metrics(r.id)) {
            widgets::PointView v;
            v.id = -id;
            v.run = r.id;
            v.run_name = names[r.id];
            v.epoch = c.epoch;
            v.beta = c.beta;
            v.val_accuracy = v.test_accuracy = c.val_accuracy;
            v.ebops = c.ebops;
            v.color_index = colors_[r.id];
            v.provisional = true;
            view.points.push_back(v);
        }
    }
    // Cluster tasks: their SLURM state and job beside the run.
    for (const auto& t : study_->cluster_tasks())
        if (widgets::RunRow* row = rows[t.run_id]; row && !t.job_id.empty())
            row->cluster = QString("%1 · %2_%3")
                               .arg(QString::fromStdString(t.state.empty() ? "PENDING" : t.state))
                               .arg(QString::fromStdString(t.job_id))
                               .arg(t.task);
    view.color_of_run = colors_;
    readSyntheses(view);
    return view;
}

// Synthesized LUTs onto the points (the Pareto plot's LUT axis) and the calibration fit, of the
// family with the most syntheses: a 7-series LUT count is not an UltraScale+ one.
void StudyReader::readSyntheses(StudyView& view) {
    const auto all = study_->syntheses();
    const std::string family = store::main_synth_family(all);
    const std::string mode = store::main_synth_mode(all, family);  // fits never mix modes
    std::map<qint64, double> luts;
    std::vector<double> x, y;
    for (const auto& r : all) {
        if (r.family != family || r.adder_mode != mode) continue;
        widgets::SynthPointView s;
        s.point = r.point_id, s.run = r.run_id;
        s.color_index = colors_.count(r.run_id) ? colors_[r.run_id] : -1;
        s.ebops = double(r.ebops_exact), s.luts = double(r.luts);
        s.test_accuracy = r.test_accuracy, s.seconds = r.seconds;
        s.carry = r.carry, s.ff = r.ff;
        s.family = QString::fromStdString(r.family);
        luts[r.point_id] = s.luts;
        x.push_back(s.ebops), y.push_back(s.luts);
        view.synth.push_back(s);
    }
    for (auto& p : view.points)
        if (auto it = luts.find(p.id); it != luts.end()) p.luts_synth = it->second;
    const PowerLaw f = fit_power_law(x, y);
    view.fit = {f.valid(), f.coefficient, f.exponent,
                f.r2,      f.points,      QString::fromStdString(family + ", " + mode + " adders")};
}

const widgets::SynthPointView* StudyView::synthesis(qint64 point) const {
    for (const auto& s : synth)
        if (s.point == point) return &s;
    return nullptr;
}

QVector<widgets::RunCurves> StudyReader::curves(const QVector<qint64>& runs) {
    QVector<widgets::RunCurves> out;
    for (qint64 id : runs) {
        widgets::RunCurves c;
        c.run = id;
        const store::RunRecord run = study_->run(id);
        c.name = display_name(id, run.sweep_id, run.name);
        const auto& beta = run.config.contains("beta") ? run.config["beta"] : nlohmann::json();
        if (beta.is_object() && beta.contains("controller"))
            c.target_ebops = beta["controller"].value("target_ebops", 0.0);
        c.color_index = colors_.count(id) ? colors_[id] : -1;
        for (const auto& m : study_->epochs(id))
            c.epochs.push_back({m.epoch, m.loss, m.val_accuracy, m.ebops, m.beta});
        out.push_back(c);
    }
    return out;
}

}  // namespace hgq::gui
