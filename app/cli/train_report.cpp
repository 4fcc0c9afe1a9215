// SPDX-License-Identifier: GPL-3.0-or-later
#include "train_report.h"

#include <cstdio>

namespace hgq::cli {

namespace {
constexpr int kRun = 1;  // until the study store exists, a train command is run 1

std::string si(double v) {
    char buf[32];
    if (v >= 1e6)
        std::snprintf(buf, sizeof buf, "%.2fM", v / 1e6);
    else if (v >= 1e3)
        std::snprintf(buf, sizeof buf, "%.1fk", v / 1e3);
    else
        std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
}
}  // namespace

nlohmann::json point_json(const FrontPoint& p, int run) {
    return {{"point", p.id},
            {"run", run},
            {"epoch", p.epoch},
            {"test_accuracy", p.test_accuracy},
            {"ebops", p.ebops_exact},
            {"val_accuracy", p.val_accuracy},
            {"ebops_train", p.ebops_train},
            {"beta", p.beta},
            {"test_accuracy_float", p.test_accuracy_float},
            {"lut_estimate", p.lut_estimate},
            {"adder_levels", p.adder_levels}};
}

TrainReport::TrainReport(const ExperimentConfig& cfg, const Splits& data, bool json)
    : cfg_(cfg), data_(data), json_(json), t0_(std::chrono::steady_clock::now()) {}

void TrainReport::start() {
    const auto& t = cfg_.training;
    if (json_) {
        emit_json({{"event", "start"},
                   {"run", kRun},
                   {"name", cfg_.name},
                   {"train", data_.train.size()},
                   {"validation", data_.validation.size()},
                   {"test", data_.test.size()},
                   {"classes", data_.train.n_classes},
                   {"epochs", t.epochs},
                   {"batch_size", t.batch_size},
                   {"threads", t.threads}});
        return;
    }
    std::printf("%s: %lld train / %lld validation / %lld test samples, %lld features, %d classes\n",
                cfg_.name.c_str(), (long long)data_.train.size(),
                (long long)data_.validation.size(), (long long)data_.test.size(),
                (long long)data_.train.x.cols(), data_.train.n_classes);
    std::printf("%d epochs, batch %d, %d thread(s). Ctrl-C stops after the current batch.\n",
                t.epochs, t.batch_size, t.threads);
    std::fflush(stdout);
}

void TrainReport::progress(int epoch, int64_t done, int64_t total) {
    if (json_ || !bar_.active()) return;
    const double frac = (double(epoch - 1) + double(done) / double(total)) / cfg_.training.epochs;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    const double eta = frac > 0 ? elapsed * (1 - frac) / frac : 0;
    char buf[192];
    std::snprintf(buf, sizeof buf, "epoch %d/%d  val %.2f%%  EBOPs %s  %s samples/s  ETA %.0f s",
                  epoch, cfg_.training.epochs, 100 * last_.val_accuracy, si(last_.ebops).c_str(),
                  si(last_.samples_per_second).c_str(), eta);
    bar_.update(buf, frac);
}

void TrainReport::epoch(const EpochMetrics& m) {
    last_ = m;
    if (json_) {
        emit_json({{"event", "epoch"},
                   {"run", kRun},
                   {"epoch", m.epoch},
                   {"loss", m.loss},
                   {"val_accuracy", m.val_accuracy},
                   {"ebops", m.ebops},
                   {"beta", m.beta},
                   {"samples_per_second", m.samples_per_second},
                   {"val_loss", m.val_loss},
                   {"train_accuracy", m.train_accuracy},
                   {"lr", m.lr},
                   {"kept", m.kept}});
        return;
    }
    const int every = std::max(1, cfg_.training.epochs / 20);
    if (m.epoch % every != 0 && m.epoch != 1 && m.epoch != cfg_.training.epochs) return;
    bar_.clear();
    std::printf(
        "epoch %5d  loss %.4f  train %.2f%%  val %.2f%%  EBOPs %9s  beta %.2e  %s samples/s\n",
        m.epoch, m.loss, 100 * m.train_accuracy, 100 * m.val_accuracy, si(m.ebops).c_str(), m.beta,
        si(m.samples_per_second).c_str());
    std::fflush(stdout);
}

void TrainReport::done(const TrainResult& r, const std::vector<FrontPoint>& points) {
    bar_.clear();
    if (json_) {
        nlohmann::json pts = nlohmann::json::array();
        for (const auto& p : points) pts.push_back(point_json(p, kRun));
        emit_json({{"event", "done"},
                   {"run", kRun},
                   {"epochs", r.epochs.size()},
                   {"cancelled", r.cancelled},
                   {"points", pts}});
        return;
    }
    if (r.cancelled) std::printf("Cancelled after %zu finished epochs.\n", r.epochs.size());
    std::printf(
        "\nPareto front: %zu points, deployed (ranges traced on the training split; test\n"
        "accuracy of the bit-exact integer model; EBOPs exact)\n",
        points.size());
    std::printf(
        " point  epoch   val acc  test acc   EBOPs exact   LUT est  levels  EBOPs train      "
        "beta\n");
    for (const auto& p : points)
        std::printf(" %5d  %5d   %6.2f%%   %6.2f%%  %12lld  %8.0f  %6d  %11.0f  %.2e\n", p.id,
                    p.epoch, 100 * p.val_accuracy, 100 * p.test_accuracy, (long long)p.ebops_exact,
                    p.lut_estimate, p.adder_levels, p.ebops_train, p.beta);
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    std::printf("%.1f s in all\n", secs);
}

nlohmann::json TrainReport::to_json(const TrainResult& r,
                                    const std::vector<FrontPoint>& points) const {
    nlohmann::json j;
    j["format"] = "hgq-run/1";
    j["name"] = cfg_.name;
    j["config_file"] = cfg_.file;
    j["cancelled"] = r.cancelled;
    j["epochs"] = nlohmann::json::array();
    for (const auto& m : r.epochs)
        j["epochs"].push_back({{"epoch", m.epoch},
                               {"loss", m.loss},
                               {"val_accuracy", m.val_accuracy},
                               {"val_loss", m.val_loss},
                               {"train_accuracy", m.train_accuracy},
                               {"ebops", m.ebops},
                               {"beta", m.beta},
                               {"lr", m.lr},
                               {"seconds", m.seconds},
                               {"kept", m.kept}});
    const auto front = r.pareto.front();
    j["points"] = nlohmann::json::array();
    for (size_t i = 0; i < points.size(); ++i) {
        nlohmann::json p = point_json(points[i], kRun);
        p["snapshot"] = front[i].snapshot;
        p["deployment"] = point_report_json(points[i]);
        j["points"].push_back(p);
    }
    return j;
}

}  // namespace hgq::cli
