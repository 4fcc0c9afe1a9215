// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to the CSE (cse.cpp, cse_gain.cpp): the pattern keys, the pair-count table and the
// state of one layer's sharing.
#pragma once
#include <algorithm>
#include <bit>
#include <cstdint>
#include <queue>
#include <unordered_map>
#include <utility>
#include <vector>

#include "export/cse.h"

namespace hgq::cse::detail {

// A pattern a·2^0 + (±b)·2^d packed in 64 bits: a, b < 2^24, |d| < 2^14.
inline uint64_t pack(int32_t a, int32_t b, int32_t d, bool neg) {
    return (uint64_t(uint32_t(a)) << 40) | (uint64_t(uint32_t(b)) << 16) |
           (uint64_t(uint32_t(d + 16384) & 0x7fff) << 1) | uint64_t(neg);
}

struct Pattern {
    int32_t a, b, d;
    bool neg;
};

inline Pattern unpack(uint64_t k) {
    return {int32_t(k >> 40), int32_t((k >> 16) & 0xffffff), int32_t((k >> 1) & 0x7fff) - 16384,
            bool(k & 1)};
}

// Terms of an output are kept sorted by (node, shift): lookups are binary searches.
inline bool before(const Term& x, const Term& y) {
    return x.node != y.node ? x.node < y.node : x.shift < y.shift;
}

struct Count {
    int32_t n = 0;
    int32_t width = 0;  // bits of the adder the pattern needs (fixed: ranges never change)
};

// Pattern → Count, open addressing with linear probing, key and count in one 16-byte slot. A
// layer has up to ~10^7 distinct pairs and every substitution touches O(terms) of them:
// std::unordered_map's node per entry made each lookup a chain of cache misses that dominated the
// export time. Entries are never removed (a count of 0 is simply unused); key 0 marks a free slot
// (no pattern packs to 0: d + 16384 > 0).
class CountMap {
  public:
    // Room for `expected` patterns before the first growth (a small layer's table stays small:
    // the property test shares thousands of them, each several times).
    explicit CountMap(size_t expected = size_t(1) << 15)
        : slots_(std::bit_ceil(std::max<size_t>(64, 2 * expected + 2))),
          shift_(64 - std::countr_zero(slots_.size())) {}
    Count& operator[](uint64_t key);
    Count* find(uint64_t key) {
        Slot& s = slots_[slot(key)];
        return s.key == key ? &s.count : nullptr;
    }
    template <class F>
    void for_each(F f) {
        for (Slot& s : slots_)
            if (s.key != 0) f(s.key, s.count);
    }

  private:
    struct Slot {
        uint64_t key = 0;
        Count count;
    };
    std::vector<Slot> slots_;
    size_t used_ = 0;
    int shift_;  // 64 − log2(slots)
    size_t slot(uint64_t key) const {
        // Fibonacci hashing: the top bits of the product depend on every bit of the key.
        size_t i = size_t((key * 0x9E3779B97F4A7C15ull) >> shift_);
        while (slots_[i].key != 0 && slots_[i].key != key) i = (i + 1) & (slots_.size() - 1);
        return i;
    }
    void grow();
};

// A value as the Verilog writer's adders see it: (neg ? −1 : 1) · stored · 2^lsb, stored in
// [lo, hi]. The sign is kept apart from the range (as the writer keeps it) because the width of
// an adder depends on which way round its difference is taken.
struct Value {
    Wide lo = 0, hi = 0;
    int lsb = 0;
    bool neg = false;
};

// What a pattern would gain, remembered while the outputs it touches are unchanged.
struct Gain {
    int64_t delta = 0;             // LUT bits after − before (negative: the pattern saves)
    uint64_t stamp = 0;            // Σ versions of `outputs` when `delta` was computed
    std::vector<int32_t> outputs;  // those holding the pattern (no output gains one later)
};

struct State {
    std::vector<Range> range;                 // per node
    std::vector<Value> value;                 // per node, as the writer builds it
    std::vector<int> depth;                   // per node: adder levels from the inputs
    std::vector<Node> nodes;                  // the intermediates made so far
    std::vector<std::vector<Term>> out;       // per output, sorted
    std::vector<std::vector<int32_t>> where;  // per node: outputs it was placed in
    std::vector<int64_t> load;                // per output: Σ 2^depth of its terms
    std::vector<int64_t> cost;                // per output: LUT bits of its adder tree
    std::vector<uint64_t> version;            // per output: bumped by every substitution
    int64_t node_bits = 0;                    // LUT bits of the intermediates made
    size_t candidates = 64;                   // patterns priced exactly per round
    int64_t cap = -1;                         // largest load allowed (-1: unbounded)
    CountMap count;
    std::priority_queue<std::pair<int64_t, uint64_t>> heap;
    std::unordered_map<uint64_t, Gain> gains;
};

// Occurrences × adder width: the order in which patterns are proposed.
int64_t score(const Count& c);
// Makes `p` an intermediate if at least two occurrences can use it; false otherwise.
bool apply(State& s, const Pattern& p);
// Makes patterns, the cheapest of the best-scored proposals each time, until none occurs twice.
void share_all(State& s);

// (output, occurrences of the pattern it can replace within the depth bound)
using Plan = std::vector<std::pair<int, int>>;

// The outputs that can use pattern `p` made at depth `dp`, and how often each.
Plan plan_of(const State& s, const Pattern& p, int dp, int& total);
// Replaces the first occurrence of `p` in `v` by `node` (same shift and sign as the a term);
// the removed terms are returned in `ti`, `tk`. False if `v` holds no occurrence.
bool replace_once(std::vector<Term>& v, const Pattern& p, int32_t node, Term& ti, Term& tk);

// The writer's value of the adder a + (±b)·2^d, and its LUT bits (carry-chain width − 1).
Value add_values(const Value& a, const Value& b, int& lut_bits);
Value scaled(Value v, const Term& t);
// LUT bits of the writer's narrowest-first adder tree over the terms `v`.
int64_t tree_cost(const State& s, const std::vector<Term>& v);
// LUT bits that making `p` an intermediate (at depth `dp`) would add (negative: save), cached
// in s.gains while the outputs it touches are unchanged.
int64_t gain_of(State& s, uint64_t key, int dp);

}  // namespace hgq::cse::detail
