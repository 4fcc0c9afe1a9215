// SPDX-License-Identifier: GPL-3.0-or-later
// Which pattern to make next. The score (occurrences × adder width) proposes the best few, each
// proposal is priced exactly (cse_gain.cpp) and the cheapest is made, whether or not it saves on
// its own: stopping at the first round in which nothing saves was as good on the digits MLP but
// 4–7 % worse than the score alone on random 784-input layers, where a pattern that costs now
// can pay later as the operand of a wider one.
#include <algorithm>
#include <limits>
#include <unordered_set>

#include "export/cse_internal.h"

namespace hgq::cse::detail {
namespace {

using Refused = std::unordered_set<uint64_t>;  // never usable twice again: for good

// The pool: up to State::candidates distinct patterns of the highest scores that still occur
// twice, with the score each had when it joined. Entries whose count fell since go back to the
// queue at the current score (or leave, below two), so the pool stays the queue's top without
// re-queueing every entry each round.
struct Pool {
    std::vector<uint64_t> keys;
    std::vector<int64_t> scores;
};

void refill(State& s, Pool& pool, const Refused& refused) {
    for (size_t i = pool.keys.size(); i-- > 0;) {
        const Count* c = s.count.find(pool.keys[i]);
        const int64_t now = c && c->n >= 2 && !refused.count(pool.keys[i]) ? score(*c) : -1;
        if (now == pool.scores[i]) continue;
        if (now >= 0) s.heap.push({now, pool.keys[i]});
        pool.keys.erase(pool.keys.begin() + i);
        pool.scores.erase(pool.scores.begin() + i);
    }
    while (!s.heap.empty() && pool.keys.size() < s.candidates) {
        const auto [queued, key] = s.heap.top();
        s.heap.pop();
        const Count* c = s.count.find(key);
        if (!c || c->n < 2 || refused.count(key)) continue;
        const int64_t now = score(*c);
        if (now != queued) {
            if (now < queued) s.heap.push({now, key});
            continue;
        }
        if (std::find(pool.keys.begin(), pool.keys.end(), key) != pool.keys.end()) continue;
        pool.keys.push_back(key);
        pool.scores.push_back(now);
    }
}

// The LUT bits pattern `key` would change (negative: saves); refuses it for good when the depth
// bound or overlaps leave fewer than two occurrences (occurrences and headroom only shrink).
int64_t gain(State& s, uint64_t key, Refused& refused) {
    const Pattern p = unpack(key);
    const int dp = std::max(s.depth[p.a], s.depth[p.b]) + 1;
    const int64_t g =
        s.cap >= 0 && dp >= 62 ? std::numeric_limits<int64_t>::max() : gain_of(s, key, dp);
    if (g == std::numeric_limits<int64_t>::max()) refused.insert(key);
    return g;
}

// Makes the pooled pattern of the best exact gain; false when the pool is empty.
bool make_best(State& s, Pool& pool, Refused& refused) {
    refill(s, pool, refused);
    size_t pick = pool.keys.size();
    int64_t best = std::numeric_limits<int64_t>::max();
    for (size_t i = 0; i < pool.keys.size(); ++i) {
        const int64_t g = gain(s, pool.keys[i], refused);
        if (g < best) best = g, pick = i;
    }
    if (pick == pool.keys.size()) {  // every one refused
        pool.keys.clear(), pool.scores.clear();
        return !s.heap.empty();
    }
    apply(s, unpack(pool.keys[pick]));
    pool.keys.erase(pool.keys.begin() + pick);
    pool.scores.erase(pool.scores.begin() + pick);
    return true;
}

}  // namespace

void share_all(State& s) {
    Refused refused;
    Pool pool;
    while (make_best(s, pool, refused)) {
    }
}

}  // namespace hgq::cse::detail
