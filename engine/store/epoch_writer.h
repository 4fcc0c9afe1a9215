// SPDX-License-Identifier: GPL-3.0-or-later
// Writes a run's epochs to its study on a background thread, so the training thread only hands
// over what it already built (metrics, snapshots) and goes on: storing costs the digits model a
// fraction of a percent instead of a few percent. `on_written` fires after each commit, so
// whatever a user has seen reported is already safe on disk.
#pragma once
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "store/study.h"

namespace hgq::store {

class EpochWriter {
  public:
    // The writer owns `study` until finish(): nothing else may use the connection meanwhile.
    // `on_written(epoch, stored_resume_state)` runs on the writer thread after each commit.
    EpochWriter(Study& study, int64_t run,
                std::function<void(const EpochRecord&, bool)> on_written);
    ~EpochWriter();
    EpochWriter(const EpochWriter&) = delete;
    EpochWriter& operator=(const EpochWriter&) = delete;

    // Queues one epoch; blocks only if the writer is several epochs behind. Rethrows a write
    // error (disk full, ...) from an earlier epoch. `build_seconds`: what making `state` cost the
    // training thread (counted as storing time).
    void push(const EpochRecord& m, const ResumeRecord* state, const nlohmann::json* kept,
              const std::vector<int>& front, double build_seconds = 0);
    // Waits until every queued epoch is committed; rethrows a write error.
    void finish();
    // Seconds the training thread spent handing over and waiting for the writer.
    double training_thread_seconds() const { return handoff_seconds_; }

  private:
    struct Item {
        EpochRecord m;
        std::optional<ResumeRecord> state;
        std::optional<nlohmann::json> kept;
        std::vector<int> front;
        double handoff = 0;
    };
    void loop();
    void rethrow_if_failed();

    Study& study_;
    int64_t run_;
    std::function<void(const EpochRecord&, bool)> on_written_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<Item> queue_;
    bool closing_ = false;
    std::exception_ptr error_;
    double handoff_seconds_ = 0;
    std::thread thread_;
};

}  // namespace hgq::store
