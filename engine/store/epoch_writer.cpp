// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/epoch_writer.h"

#include <chrono>

namespace hgq::store {
namespace {
constexpr size_t kMaxQueued = 4;  // bounds the memory held by snapshots in flight
using Clock = std::chrono::steady_clock;
}  // namespace

EpochWriter::EpochWriter(Study& study, int64_t run,
                         std::function<void(const EpochRecord&, bool)> on_written)
    : study_(study), run_(run), on_written_(std::move(on_written)), thread_([this] { loop(); }) {}

EpochWriter::~EpochWriter() {
    try {
        finish();
    } catch (...) {  // already reported through push/finish, or the run is unwinding anyway
    }
}

void EpochWriter::rethrow_if_failed() {
    if (error_) std::rethrow_exception(error_);
}

void EpochWriter::push(const EpochRecord& m, const ResumeRecord* state, const nlohmann::json* kept,
                       const std::vector<int>& front, double build_seconds) {
    const auto t0 = Clock::now();
    Item item{m, {}, {}, front, 0};
    if (state) item.state = *state;
    if (kept) item.kept = *kept;
    std::unique_lock<std::mutex> lock(mu_);
    rethrow_if_failed();
    cv_.wait(lock, [&] { return queue_.size() < kMaxQueued || error_; });
    rethrow_if_failed();
    const double handoff =
        std::chrono::duration<double>(Clock::now() - t0).count() + build_seconds;
    item.handoff = handoff;
    handoff_seconds_ += handoff;
    queue_.push_back(std::move(item));
    cv_.notify_all();
}

void EpochWriter::finish() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        closing_ = true;
        cv_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
    rethrow_if_failed();
}

void EpochWriter::loop() {
    for (;;) {
        Item item;
        {
            std::unique_lock<std::mutex> lock(mu_);
            cv_.wait(lock, [&] { return !queue_.empty() || closing_; });
            if (queue_.empty()) return;
            item = std::move(queue_.front());
        }
        try {
            study_.record_epoch(run_, item.m, item.state ? &*item.state : nullptr,
                                item.kept ? &*item.kept : nullptr, item.front, item.handoff);
        } catch (...) {
            std::lock_guard<std::mutex> lock(mu_);
            error_ = std::current_exception();
            queue_.clear();
            cv_.notify_all();
            return;
        }
        {
            std::lock_guard<std::mutex> lock(mu_);
            queue_.pop_front();
            cv_.notify_all();
        }
        if (on_written_) on_written_(item.m, item.state.has_value());
    }
}

}  // namespace hgq::store
