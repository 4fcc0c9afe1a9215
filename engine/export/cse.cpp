// SPDX-License-Identifier: GPL-3.0-or-later
// Greedy two-term CSE. The state keeps, for every pattern (a, b, relative shift, sign), how many
// term pairs of the outputs form it, so that substituting one pattern only touches the pairs of
// the terms it removes and adds (O(terms of the output) per substitution) instead of recounting.
// The best pattern comes from a max-heap of (count × adder width, pattern) with lazy deletion:
// counts only fall for existing patterns, so a popped entry whose score is stale is re-queued
// with its current score.
//
// Default depth bound (Options::max_extra_depth = 1): every shared adder lengthens the paths
// through it, and an intermediate built from intermediates can chain without limit. One extra
// level keeps a layer's critical path within one two-input adder of the best (balanced) unshared
// tree, which at HGQ widths is a small part of a 5 ns clock; 0 leaves only the slack of outputs
// with fewer terms than a power of two. On the digits MLP and the jet-tagger shape 1, 2 and no
// bound gave the same graph and 0 cost 0.5 % more adder bits (README, "Sharing adders"): the bound
// is a guard against long chains in larger layers that costs nothing where chains do not pay.
#include "export/cse.h"

#include <algorithm>
#include <bit>
#include <queue>
#include <unordered_set>

#include "core/error.h"

namespace hgq::cse {
namespace {

// A pattern a·2^0 + (±b)·2^d packed in 64 bits: a, b < 2^24, |d| < 2^14.
uint64_t pack(int32_t a, int32_t b, int32_t d, bool neg) {
    return (uint64_t(uint32_t(a)) << 40) | (uint64_t(uint32_t(b)) << 16) |
           (uint64_t(uint32_t(d + 16384) & 0x7fff) << 1) | uint64_t(neg);
}

struct Pattern {
    int32_t a, b, d;
    bool neg;
};

Pattern unpack(uint64_t k) {
    return {int32_t(k >> 40), int32_t((k >> 16) & 0xffffff), int32_t((k >> 1) & 0x7fff) - 16384,
            bool(k & 1)};
}

// Terms of an output are kept sorted by (node, shift): lookups are binary searches.
bool before(const Term& x, const Term& y) {
    return x.node != y.node ? x.node < y.node : x.shift < y.shift;
}

// The pattern two terms of one output form; the lower term is the pattern's `a`.
uint64_t key_of(const Term& x, const Term& y) {
    const Term& lo = before(x, y) ? x : y;
    const Term& hi = before(x, y) ? y : x;
    return pack(lo.node, hi.node, hi.shift - lo.shift, lo.neg != hi.neg);
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
    CountMap() : slots_(size_t(1) << 16) {}
    Count& operator[](uint64_t key) {
        size_t i = slot(key);
        if (slots_[i].key == 0) {
            if (2 * (used_ + 1) > slots_.size()) {
                grow();
                i = slot(key);
            }
            slots_[i].key = key;
            ++used_;
        }
        return slots_[i].count;
    }
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
    int shift_ = 64 - 16;  // 64 − log2(slots)
    size_t slot(uint64_t key) const {
        // Fibonacci hashing: the top bits of the product depend on every bit of the key.
        size_t i = size_t((key * 0x9E3779B97F4A7C15ull) >> shift_);
        while (slots_[i].key != 0 && slots_[i].key != key) i = (i + 1) & (slots_.size() - 1);
        return i;
    }
    void grow() {
        std::vector<Slot> old(slots_.size() * 2);
        old.swap(slots_);
        --shift_;
        for (const Slot& s : old)
            if (s.key != 0) slots_[slot(s.key)] = s;
    }
};

struct State {
    std::vector<Range> range;                 // per node
    std::vector<int> depth;                   // per node: adder levels from the inputs
    std::vector<Node> nodes;                  // the intermediates made so far
    std::vector<std::vector<Term>> out;       // per output, sorted
    std::vector<std::vector<int32_t>> where;  // per node: outputs it was placed in
    std::vector<int64_t> load;                // per output: Σ 2^depth of its terms
    int64_t cap = -1;                         // largest load allowed (-1: unbounded)
    CountMap count;
    std::priority_queue<std::pair<int64_t, uint64_t>> heap;
};

// Carry-chain bits of the adder a + (±b)·2^d: the sum's width less the low bits that pass through.
int adder_width(const State& s, const Pattern& p) {
    const Range r = sum_range(s.range[p.a], {p.a, 0, false}, s.range[p.b], {p.b, p.d, p.neg});
    const int gap = std::abs(s.range[p.a].exp - (s.range[p.b].exp + p.d));
    return std::max(1, signed_bits(r.lo, r.hi) - gap);
}

// Occurrences × adder width: a wide shared adder saves more LUTs than a narrow one. (Measured on
// the digits MLP, (n − 1) × width or count first with width as the tie-break changed the adder
// bits by under 1 %.)
int64_t score(const Count& c) {
    return int64_t(c.n) * c.width;
}

void inc(State& s, uint64_t key) {
    Count& c = s.count[key];
    if (c.n++ == 0) c.width = adder_width(s, unpack(key));
    if (c.n >= 2) s.heap.push({score(c), key});
}

void dec(State& s, uint64_t key) {
    if (Count* c = s.count.find(key); c && c->n > 0) --c->n;
}

// Index of the term (node, shift) in sorted `v`, or −1.
int find_term(const std::vector<Term>& v, int32_t node, int32_t shift) {
    const Term probe{node, shift, false};
    auto it = std::lower_bound(v.begin(), v.end(), probe, before);
    return it != v.end() && it->node == node && it->shift == shift ? int(it - v.begin()) : -1;
}

// The first occurrence of `p` in `v` not overlapping terms marked in `used`: indices (i, k).
bool find_occurrence(const std::vector<Term>& v, const Pattern& p, const std::vector<char>& used,
                     int& i, int& k) {
    auto it = std::lower_bound(v.begin(), v.end(), Term{p.a, INT32_MIN, false}, before);
    for (; it != v.end() && it->node == p.a; ++it) {
        i = int(it - v.begin());
        k = find_term(v, p.b, it->shift + p.d);
        if (k >= 0 && !used[i] && !used[k] && v[k].neg == (it->neg != p.neg)) return true;
    }
    return false;
}

// How many non-overlapping occurrences output j holds that the depth bound lets us replace.
int usable(const State& s, int j, const Pattern& p, int dp) {
    std::vector<char> used(s.out[j].size(), 0);
    // Bounded, every depth is at most 60 (2^depth ≤ load ≤ cap ≤ 2^60); unbounded, unused.
    const int64_t grow = s.cap < 0 ? 0
                                   : (int64_t(1) << dp) - (int64_t(1) << s.depth[p.a]) -
                                         (int64_t(1) << s.depth[p.b]);
    int n = 0, i = 0, k = 0;
    while (find_occurrence(s.out[j], p, used, i, k)) {
        if (s.cap >= 0 && s.load[j] + (n + 1) * grow > s.cap) break;
        used[i] = used[k] = 1;
        ++n;
    }
    return n;
}

// Replaces one occurrence of `p` in output j by node `node`, updating the pair counts.
void substitute(State& s, int j, const Pattern& p, int32_t node) {
    std::vector<Term>& v = s.out[j];
    int i = 0, k = 0;
    const std::vector<char> none(v.size(), 0);
    if (!find_occurrence(v, p, none, i, k)) throw Error::runtime("CSE", "lost an occurrence");
    const Term ti = v[i], tk = v[k];
    for (size_t u = 0; u < v.size(); ++u) {
        if (int(u) != i) dec(s, key_of(ti, v[u]));
        if (int(u) != i && int(u) != k) dec(s, key_of(tk, v[u]));
    }
    v.erase(v.begin() + std::max(i, k));
    v.erase(v.begin() + std::min(i, k));
    const Term t{node, ti.shift, ti.neg};
    for (const Term& u : v) inc(s, key_of(t, u));
    v.insert(std::upper_bound(v.begin(), v.end(), t, before), t);
    if (s.cap >= 0)
        s.load[j] += (int64_t(1) << s.depth[node]) - (int64_t(1) << s.depth[p.a]) -
                     (int64_t(1) << s.depth[p.b]);
    if (s.where[node].empty() || s.where[node].back() != j) s.where[node].push_back(j);
}

// Makes `p` an intermediate if at least two occurrences can use it; false otherwise.
bool apply(State& s, const Pattern& p) {
    const int dp = std::max(s.depth[p.a], s.depth[p.b]) + 1;
    if (s.cap >= 0 && dp >= 62) return false;
    std::vector<std::pair<int, int>> plan;  // (output, occurrences to replace)
    int total = 0;
    for (int32_t j : s.where[p.a]) {
        if (!plan.empty() && plan.back().first == j) continue;
        const int n = usable(s, j, p, dp);
        if (n > 0) plan.push_back({j, n}), total += n;
    }
    if (total < 2) return false;
    const int32_t node = int32_t(s.range.size());
    if (node >= (1 << 24)) throw Error::runtime("CSE", "more than 2^24 intermediates");
    const Node made{{p.a, 0, false}, {p.b, p.d, p.neg}};
    s.nodes.push_back(made);
    s.range.push_back(sum_range(s.range[p.a], made.a, s.range[p.b], made.b));
    s.depth.push_back(dp);
    s.where.emplace_back();
    for (const auto& [j, n] : plan)
        for (int r = 0; r < n; ++r) substitute(s, j, p, node);
    return true;
}

int ceil_log2(size_t n) {
    return n <= 1 ? 0 : int(std::bit_width(n - 1));
}

// The state before any sharing: every pair of every output counted once.
State initial(const std::vector<Range>& inputs, std::vector<std::vector<Term>> outputs,
              const Options& opt) {
    State s;
    s.range = inputs;
    s.depth.assign(inputs.size(), 0);
    s.where.resize(inputs.size());
    s.out = std::move(outputs);
    int deepest = 0;
    for (size_t j = 0; j < s.out.size(); ++j) {
        std::vector<Term>& v = s.out[j];
        std::sort(v.begin(), v.end(), before);
        s.load.push_back(int64_t(v.size()));
        deepest = std::max(deepest, ceil_log2(v.size()));
        for (const Term& t : v)
            if (s.where[t.node].empty() || s.where[t.node].back() != int32_t(j))
                s.where[t.node].push_back(int32_t(j));
        for (size_t a = 0; a < v.size(); ++a)
            for (size_t b = a + 1; b < v.size(); ++b) ++s.count[key_of(v[a], v[b])].n;
    }
    if (opt.max_extra_depth >= 0) s.cap = int64_t(1) << std::min(60, deepest + opt.max_extra_depth);
    s.count.for_each([&s](uint64_t key, Count& c) {
        c.width = adder_width(s, unpack(key));
        if (c.n >= 2) s.heap.push({score(c), key});
    });
    return s;
}

}  // namespace

void append_digits(std::vector<Term>& out, int32_t input, int64_t w, int w_f) {
    uint64_t m = w < 0 ? uint64_t(0) - uint64_t(w) : uint64_t(w);
    // Non-adjacent form of |w|: digit +1 where m ≡ 1 (mod 4), −1 where m ≡ 3.
    for (int shift = 0; m != 0; ++shift, m >>= 1) {
        if ((m & 1) == 0) continue;
        const bool minus = (m & 3) == 3;
        out.push_back({input, shift - w_f, minus != (w < 0)});
        m = minus ? m + 1 : m - 1;
    }
}

Graph share(const std::vector<Range>& inputs, std::vector<std::vector<Term>> outputs,
            const Options& opt) {
    Graph g;
    g.inputs = int(inputs.size());
    if (!opt.enabled) {
        g.outputs = std::move(outputs);
        return g;
    }
    State s = initial(inputs, std::move(outputs), opt);
    std::unordered_set<uint64_t> refused;  // depth-blocked: loads only grow, so for good
    while (!s.heap.empty()) {
        const auto [queued, key] = s.heap.top();
        s.heap.pop();
        const Count* c = s.count.find(key);
        if (!c || c->n < 2) continue;
        const int64_t now = score(*c);
        if (now != queued) {
            if (now < queued) s.heap.push({now, key});
            continue;
        }
        if (refused.count(key) || !apply(s, unpack(key))) refused.insert(key);
    }
    g.nodes = std::move(s.nodes);
    g.outputs = std::move(s.out);
    return g;
}

Range sum_range(const Range& ra, const Term& a, const Range& rb, const Term& b) {
    const int ea = ra.exp + a.shift, eb = rb.exp + b.shift, e = std::min(ea, eb);
    if (ea - e > 100 || eb - e > 100) throw Error::runtime("CSE", "a sum needs over 100 bits");
    const auto part = [e](const Range& r, int ex, bool neg, bool hi) {
        const Wide v = neg ? (hi ? -r.lo : -r.hi) : (hi ? r.hi : r.lo);
        return v * (Wide(1) << (ex - e));
    };
    return {part(ra, ea, a.neg, false) + part(rb, eb, b.neg, false),
            part(ra, ea, a.neg, true) + part(rb, eb, b.neg, true), e};
}

int signed_bits(Wide lo, Wide hi) {
    const auto bits = [](Wide v) {  // bit_width of a non-negative 128-bit value
        const uint64_t h = uint64_t(v >> 64), l = uint64_t(v);
        return h ? 64 + int(std::bit_width(h)) : int(std::bit_width(l));
    };
    return std::max({1, hi > 0 ? bits(hi) + 1 : 1, lo < 0 ? bits(-(lo + 1)) + 1 : 1});
}

}  // namespace hgq::cse
