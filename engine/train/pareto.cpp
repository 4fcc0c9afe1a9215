// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/pareto.h"

#include <algorithm>

namespace hgq {

namespace {
// a is at least as good as b in every objective.
bool covers(const Checkpoint& a, const Checkpoint& b) {
    return a.val_accuracy >= b.val_accuracy && a.ebops <= b.ebops;
}
}  // namespace

bool ParetoTracker::offer(Checkpoint c, const std::function<nlohmann::json()>& take_snapshot) {
    for (const Checkpoint& o : kept_)
        if (covers(o, c)) return false;
    std::erase_if(kept_, [&](const Checkpoint& o) { return covers(c, o); });
    c.snapshot = take_snapshot();
    kept_.push_back(std::move(c));
    return true;
}

std::vector<Checkpoint> ParetoTracker::front() const {
    std::vector<Checkpoint> f = kept_;
    std::sort(f.begin(), f.end(), [](const auto& a, const auto& b) { return a.ebops < b.ebops; });
    return f;
}

}  // namespace hgq
