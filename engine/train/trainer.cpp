// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/trainer.h"

#include <chrono>
#include <cmath>

#include "core/error.h"
#include "cost/exact.h"

namespace hgq {

namespace {
using Clock = std::chrono::steady_clock;

int64_t count_correct(const Mat& logits, const int32_t* labels) {
    int64_t correct = 0;
    for (Eigen::Index n = 0; n < logits.rows(); ++n) {
        Eigen::Index arg;
        logits.row(n).maxCoeff(&arg);
        correct += (arg == labels[n]);
    }
    return correct;
}
}  // namespace

Evaluation evaluate(Model& model, const Dataset& data, int batch_size, int threads) {
    Evaluation ev;
    if (data.size() == 0) return ev;
    ForwardContext ctx;
    ctx.threads = threads;
    int64_t correct = 0;
    double ce = 0;
    for (int64_t begin = 0; begin < data.size(); begin += batch_size) {
        const int64_t n = std::min<int64_t>(batch_size, data.size() - begin);
        const Mat& logits = model.forward(data.x.middleRows(begin, n), ctx);
        correct += count_correct(logits, data.y.data() + begin);
        ce += cross_entropy(logits, data.y.data() + begin, nullptr) * double(n);
    }
    ev.accuracy = double(correct) / double(data.size());
    ev.cross_entropy = ce / double(data.size());
    return ev;
}

Trainer::Trainer(Model& model, const Splits& data, TrainOptions opt, TrainCallbacks cb,
                 const std::atomic<bool>* cancel)
    : model_(model),
      data_(data),
      opt_(std::move(opt)),
      cb_(std::move(cb)),
      cancel_(cancel),
      adam_(opt_.adam) {
    if (data_.train.size() == 0)
        throw Error::bad_input("data", "the training split is empty", "use a larger data set");
    if (opt_.batch_size < 1) throw Error::bad_input("training.batch_size", "must be at least 1");
    if (opt_.beta_controller) controller_.emplace(*opt_.beta_controller);
}

void Trainer::gather_batch(const std::vector<int64_t>& order, int64_t begin, int64_t n) {
    const auto& x = data_.train.x;
    xb_.resize(n, x.cols());
    yb_.resize(n);
    for (int64_t r = 0; r < n; ++r) {
        xb_.row(r) = x.row(order[begin + r]);
        yb_[r] = data_.train.y[order[begin + r]];
    }
}

bool Trainer::train_epoch(int epoch, EpochMetrics& m) {
    const int64_t N = data_.train.size();
    // A fresh, seeded order each epoch: the same seed replays the same run.
    const auto order = seeded_permutation(N, opt_.seed * 0x9E3779B97F4A7C15ULL + uint64_t(epoch));
    double loss_sum = 0, ce_sum = 0;
    int64_t correct = 0;
    for (int64_t begin = 0; begin < N; begin += opt_.batch_size) {
        if (cancel_ && cancel_->load(std::memory_order_relaxed)) return false;
        const int64_t n = std::min<int64_t>(opt_.batch_size, N - begin);
        gather_batch(order, begin, n);
        ForwardContext ctx{true, true, opt_.threads,
                           opt_.seed ^ (uint64_t(epoch) << 32) ^ uint64_t(begin)};
        model_.forward(xb_, ctx);
        const LossTerms t =
            model_.loss(yb_.data(), Scalar(m.beta), Scalar(opt_.gamma), true, opt_.threads);
        if (!std::isfinite(t.total))
            throw Error::runtime("training",
                                 "the loss became " + std::to_string(t.total) + " at epoch " +
                                     std::to_string(epoch + 1),
                                 "lower the learning rate or check the data for extreme values");
        adam_.step(model_.params(), m.lr, opt_.threads);
        loss_sum += t.total * double(n);
        ce_sum += t.cross_entropy * double(n);
        correct += count_correct(model_.logits(), yb_.data());
        if (cb_.on_progress) cb_.on_progress(epoch + 1, begin + n, N);
    }
    m.loss = loss_sum / double(N);
    m.cross_entropy = ce_sum / double(N);
    m.train_accuracy = double(correct) / double(N);
    return true;
}

ResumeState Trainer::state(int epochs_done) const {
    ResumeState st;
    st.epochs_done = epochs_done;
    st.model = model_.snapshot();
    st.adam_steps = adam_.steps();
    if (controller_) st.optimizer["beta_controller"] = controller_->state();
    const auto params = const_cast<Model&>(model_).params();
    for (size_t p = 0; p < params.size() && p < adam_.m.size(); ++p) {
        st.optimizer["m"][params[p].name] = adam_.m[p];
        st.optimizer["v"][params[p].name] = adam_.v[p];
    }
    return st;
}

void Trainer::resume_from(ResumeState state, const std::vector<Checkpoint>& front) {
    resume_ = std::move(state);
    resume_front_ = front;
}

namespace {
std::vector<Scalar> moments(const nlohmann::json& j, const Param& p) {
    if (!j.contains(p.name))
        throw Error::bad_input("resume state", "optimizer moments of '" + p.name + "' are missing");
    auto v = j.at(p.name).get<std::vector<Scalar>>();
    if (int64_t(v.size()) != p.size)
        throw Error::bad_input("resume state", "optimizer moments of '" + p.name + "' have " +
                                                   std::to_string(v.size()) + " values, expected " +
                                                   std::to_string(p.size));
    return v;
}
}  // namespace

// Restores parameters and Adam; the registers stay empty, as after the reset that ended the
// epoch the state was taken at.
int Trainer::apply_resume(TrainResult& result) {
    model_.restore(resume_->model);
    const auto params = model_.params();
    if (resume_->adam_steps > 0) {
        adam_.m.clear();
        adam_.v.clear();
        for (const Param& p : params) {
            adam_.m.push_back(moments(resume_->optimizer.at("m"), p));
            adam_.v.push_back(moments(resume_->optimizer.at("v"), p));
        }
    }
    adam_.set_steps(resume_->adam_steps);
    if (controller_) {
        if (!resume_->optimizer.contains("beta_controller"))
            throw Error::bad_input("resume state", "the β controller's state is missing",
                                   "the run was stored without it; start a new run");
        controller_->restore(resume_->optimizer.at("beta_controller"));
    }
    model_.reset_registers();
    for (const Checkpoint& c : resume_front_) result.pareto.offer(c, [&] { return c.snapshot; });
    return resume_->epochs_done;
}

TrainResult Trainer::run() {
    TrainResult result;
    const int64_t first = std::min<int64_t>(opt_.batch_size, data_.train.size());
    model_.prepare_training(data_.train.x.topRows(first));
    int start = 0;
    if (resume_) start = apply_resume(result);
    else  // the registers are traced once before training so epoch 1 starts with real ranges
        trace_minmax(model_, data_.train.x, std::max(opt_.batch_size, 1024), opt_.threads);
    for (int epoch = start; epoch < opt_.epochs; ++epoch) {
        EpochMetrics m;
        if (!run_epoch(epoch, m, result)) {
            result.cancelled = true;
            break;
        }
    }
    return result;
}

bool Trainer::run_epoch(int epoch, EpochMetrics& m, TrainResult& result) {
    m.epoch = epoch + 1;
    m.lr = opt_.lr.at(epoch);
    m.beta = controller_ ? controller_->beta() : opt_.beta.at(epoch);
    const auto t0 = Clock::now();
    if (!train_epoch(epoch, m)) return false;
    const Evaluation val = evaluate(model_, data_.validation, 4096, opt_.threads);
    m.val_accuracy = val.accuracy;
    m.val_loss = val.cross_entropy;
    for (double e : model_.ebops_per_layer()) m.ebops += e;  // FreeBOPs: after the last forward
    m.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    m.samples_per_second = double(data_.train.size()) / m.seconds;
    if (controller_) controller_->observe(epoch, m.ebops);  // before the state is taken
    Checkpoint c{m.epoch, m.val_accuracy, m.val_loss, m.ebops, m.beta, {}};
    nlohmann::json snapshot;
    m.kept = result.pareto.offer(std::move(c), [&] { return snapshot = model_.snapshot(); });
    if (m.kept && cb_.on_checkpoint)
        cb_.on_checkpoint(Checkpoint{m.epoch, m.val_accuracy, m.val_loss, m.ebops, m.beta, snapshot});
    result.epochs.push_back(m);
    model_.reset_registers();  // after logging and checkpointing, as HGQ's ResetMinMax
    if (cb_.on_epoch_state) offer_state(m, m.kept ? &snapshot : nullptr, result);
    if (cb_.on_epoch) cb_.on_epoch(m);
    return true;
}

void Trainer::offer_state(const EpochMetrics& m, const nlohmann::json* kept,
                          const TrainResult& result) {
    std::vector<int> front;
    for (const Checkpoint& k : result.pareto.front()) front.push_back(k.epoch);
    since_state_ += m.seconds;
    if (since_state_ < opt_.state_interval && m.epoch < opt_.epochs) {
        cb_.on_epoch_state(m, nullptr, kept, front);
        return;
    }
    since_state_ = 0;
    const auto s0 = Clock::now();
    ResumeState st = state(m.epoch);
    st.build_seconds = std::chrono::duration<double>(Clock::now() - s0).count();
    cb_.on_epoch_state(m, &st, kept, front);
}

}  // namespace hgq
