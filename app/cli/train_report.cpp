// SPDX-License-Identifier: GPL-3.0-or-later
#include "train_report.h"

#include "core/error.h"

#include <cstdio>

namespace hgq::cli {

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

nlohmann::json point_json(const store::PointRecord& p) {
    nlohmann::json j = {{"point", p.id},
            {"run", p.run_id},
            {"rank", p.rank},
            {"epoch", p.epoch},
            {"test_accuracy", p.test_accuracy},
            {"ebops", p.ebops_exact},
            {"val_accuracy", p.val_accuracy},
            {"ebops_train", p.ebops_train},
            {"beta", p.beta},
            {"test_accuracy_float", p.test_accuracy_float},
            {"lut_estimate", p.lut_estimate},
            {"adder_levels", p.adder_levels}};
    j["derived"] = p.derived();
    if (p.derived()) {
        j["parent"] = p.parent_id;
        j["edits"] = p.edits;
    }
    return j;
}

void print_points_table(const std::vector<store::PointRecord>& points,
                        const std::map<int64_t, int64_t>& synth_luts) {
    const bool synth = !synth_luts.empty();
    std::printf(
        " point    run  epoch   val acc  test acc   EBOPs exact   LUT est  levels  EBOPs train"
        "      beta%s\n",
        synth ? "  LUTs synth" : "");
    bool any_derived = false;
    for (const auto& p : points) {
        any_derived |= p.derived();
        std::printf(" %5lld%s %5lld  %5d   %6.2f%%   %6.2f%%  %12lld  %8.0f  %6d  %11.0f  %.2e",
                    (long long)p.id, p.derived() ? "*" : " ", (long long)p.run_id, p.epoch, 100 * p.val_accuracy,
                    100 * p.test_accuracy, (long long)p.ebops_exact, p.lut_estimate, p.adder_levels,
                    p.ebops_train, p.beta);
        const auto it = synth_luts.find(p.id);
        if (it != synth_luts.end())
            std::printf("  %10lld", (long long)it->second);
        else if (synth)
            std::printf("  %10s", "-");
        if (p.derived()) {
            std::printf("  derived from %lld; edits on the trained parameters:",
                        (long long)p.parent_id);
            for (const auto& e : p.edits)
                if (e.contains("text")) std::printf(" %s", e["text"].get<std::string>().c_str());
        }
        std::printf("\n");
    }
    if (any_derived)
        std::printf(" * derived point (hgq whatif --save): the parent's parameters with bit edits, "
                    "not trained\n");
}

TrainReport::TrainReport(const ExperimentConfig& cfg, const Splits& data, bool json, int64_t run,
                         const std::string& study)
    : cfg_(cfg),
      data_(data),
      json_(json),
      run_(run),
      study_(study),
      t0_(std::chrono::steady_clock::now()) {}

void TrainReport::start() {
    const auto& t = cfg_.training;
    if (json_) {
        emit_json({{"event", "start"},
                   {"run", run_},
                   {"study", study_},
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
    std::printf(
        "run %lld in %s: %d epochs, batch %d, %d thread(s). Ctrl-C stops after the "
        "current batch.\n",
        (long long)run_, study_.c_str(), t.epochs, t.batch_size, t.threads);
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

nlohmann::json epoch_json(int64_t run, const EpochMetrics& m) {
    return {{"event", "epoch"},
            {"run", run},
            {"epoch", m.epoch},
            {"loss", m.loss},
            {"val_accuracy", m.val_accuracy},
            {"ebops", m.ebops},
            {"beta", m.beta},
            {"samples_per_second", m.samples_per_second}};
}

void TrainReport::epoch(const EpochMetrics& m) {
    last_ = m;
    if (json_) {
        nlohmann::json j = epoch_json(run_, m);
        j["val_loss"] = m.val_loss, j["train_accuracy"] = m.train_accuracy, j["lr"] = m.lr;
        j["kept"] = m.kept;
        emit_json(j);
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

void TrainReport::deploying() {
    if (json_) return;
    bar_.clear();
    std::printf(
        "Deploying the Pareto front (trace, exact bits, integer model on the test split)\n");
    std::fflush(stdout);
}

void TrainReport::done(const std::string& status, int epochs_done,
                       const std::vector<store::PointRecord>& points) {
    bar_.clear();
    if (json_) {
        nlohmann::json pts = nlohmann::json::array();
        for (const auto& p : points) pts.push_back(point_json(p));
        emit_json({{"event", "done"},
                   {"run", run_},
                   {"status", status},
                   {"epochs", epochs_done},
                   {"cancelled", status == "cancelled"},
                   {"points", pts}});
        return;
    }
    if (status == "cancelled") std::printf("Cancelled after %d finished epochs.\n", epochs_done);
    std::printf(
        "\nPareto front of run %lld: %zu points, deployed (ranges traced on the training split;\n"
        "test accuracy of the bit-exact integer model; EBOPs exact)\n",
        (long long)run_, points.size());
    print_points_table(points);
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    std::printf("%.1f s in all; stored in %s\n", secs, study_.c_str());
}

jobs::RunHooks TrainReport::hooks(std::string& error) {
    jobs::RunHooks h;
    h.on_epoch = [this](int64_t, const EpochMetrics& m) { epoch(m); };
    h.on_progress = [this](int64_t, int e, int64_t d, int64_t t) { progress(e, d, t); };
    h.on_deploying = [this](int64_t) { deploying(); };
    h.on_end = [&error](int64_t, const std::string&, const std::string& e) { error = e; };
    return h;
}

int TrainReport::run(store::Study& study, const jobs::RunOptions& opt, jobs::RunInputs inputs) {
    start();
    std::string error;
    const std::string status = jobs::run_job(study, run_, opt, hooks(error), inputs);
    done(status, study.run(run_).epochs_done, study.points(run_));
    if (status == "failed") throw Error::runtime("run " + std::to_string(run_), error);
    return status == "cancelled" ? 130 : 0;
}

}  // namespace hgq::cli
