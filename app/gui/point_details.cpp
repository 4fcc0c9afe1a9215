// SPDX-License-Identifier: GPL-3.0-or-later
// StudyReader::details: the selected point's per-layer bits, kernels and resources, from the
// report stored with the point and the run's config (for conv kernel geometry).
#include "config/experiment.h"
#include "study_reader.h"

namespace hgq::gui {
namespace {

QVector<qint64> to_qvec(const nlohmann::json& a) {
    QVector<qint64> v;
    if (a.is_array())
        for (const auto& e : a) v.push_back(e.get<qint64>());
    return v;
}

// Layer names are the spec type plus the model index ("conv2d1", "dense8"): the index finds the
// layer's kernel size in the run's config.
const LayerSpec* spec_of(const ExperimentConfig* cfg, const std::string& name) {
    if (!cfg) return nullptr;
    size_t digits = name.size();
    while (digits > 0 && std::isdigit(static_cast<unsigned char>(name[digits - 1]))) --digits;
    if (digits == name.size()) return nullptr;
    const size_t index = std::stoul(name.substr(digits));
    return index < cfg->model.layers.size() ? &cfg->model.layers[index] : nullptr;
}

widgets::KernelView kernel_of(const std::string& name, const nlohmann::json& t,
                         const ExperimentConfig* cfg) {
    widgets::KernelView k;
    k.layer = QString::fromStdString(name);
    k.codes = to_qvec(t["weight_code"]);
    for (const auto& f : t["weight_f"]) k.f.push_back(f.get<int>());
    k.cols = int(t["bias_code"].size());
    k.rows = k.cols ? int(k.codes.size()) / k.cols : 0;
    if (const LayerSpec* s = spec_of(cfg, name); s && s->type.starts_with("conv")) {
        k.kernel_h = s->kh;
        k.kernel_w = s->kw;
        k.in_c = k.rows / std::max(1, s->kh * s->kw);
    }
    return k;
}

}  // namespace

PointDetails StudyReader::details(qint64 id) {
    const store::PointRecord rec = study_->point(id);
    const store::RunRecord run = study_->run(rec.run_id);
    PointDetails d;
    d.point.id = rec.id;
    d.point.run = rec.run_id;
    d.point.run_name = QString::fromStdString(run.name);
    d.point.epoch = rec.epoch;
    d.point.beta = rec.beta;
    d.point.test_accuracy = rec.test_accuracy;
    d.point.val_accuracy = rec.val_accuracy;
    d.point.ebops = double(rec.ebops_exact);
    d.point.lut = rec.lut_estimate;
    std::unique_ptr<ExperimentConfig> cfg;
    try {
        cfg = std::make_unique<ExperimentConfig>(parse_experiment(run.config, run.config_file));
    } catch (const std::exception&) {  // imported points have no config: no conv geometry
    }
    const nlohmann::json& report = rec.report;
    for (const auto& l : report.value("layers", nlohmann::json::array())) {
        const std::string name = l.value("layer", "");
        d.bits.push_back({QString::fromStdString(name), to_qvec(l["weight_bits_hist"]),
                          to_qvec(l["act_bits_hist"])});
        d.resources.push_back({QString::fromStdString(name),
                               QString::fromStdString(l.value("weight_type", "")),
                               QString::fromStdString(l.value("out_types", "")),
                               l.value("ebops", qint64(0)), l.value("weights", qint64(0)),
                               l.value("pruned_weights", qint64(0)), l.value("outputs", qint64(0)),
                               l.value("pruned_outputs", qint64(0)), l.value("lut_estimate", 0.0)});
        const auto types = report.value("types", nlohmann::json::object());
        if (types.contains(name) && types[name].contains("weight_code"))
            d.kernels.push_back(kernel_of(name, types[name], cfg.get()));
    }
    d.summary = {{"format", "hgq-point-summary/1"},
                 {"study", path_.toStdString()},
                 {"point", rec.id},
                 {"run", rec.run_id},
                 {"run_name", run.name},
                 {"epoch", rec.epoch},
                 {"beta", rec.beta},
                 {"test_accuracy", rec.test_accuracy},
                 {"val_accuracy", rec.val_accuracy},
                 {"ebops_exact", rec.ebops_exact},
                 {"lut_estimate", rec.lut_estimate},
                 {"config", run.config},
                 {"deployment", report}};
    return d;
}

}  // namespace hgq::gui
