// SPDX-License-Identifier: GPL-3.0-or-later
// Greedy two-term CSE. The state keeps, for every pattern (a, b, relative shift, sign), how many
// term pairs of the outputs form it, so that substituting one pattern only touches the pairs of
// the terms it removes and adds (O(terms of the output) per substitution) instead of recounting.
// Patterns are proposed by a max-heap of (count × adder width, pattern) with lazy deletion:
// counts only fall for existing patterns, so a popped entry whose score is stale is re-queued
// with its current score. The best-scored few are then priced exactly (cse_gain.cpp: the LUT
// bits of the new adder plus the change of every touched output's adder tree) and the cheapest
// is made: the score alone took patterns whose shared adder cost more than the trees saved.
//
// Default depth bound (Options::max_extra_depth = 1): every shared adder lengthens the paths
// through it, and an intermediate built from intermediates can chain without limit. One extra
// level keeps a layer's critical path within one two-input adder of the best (balanced) unshared
// tree, which at HGQ widths is a small part of a 5 ns clock; 0 leaves only the slack of outputs
// with fewer terms than a power of two. On the digits MLP and the jet-tagger shape 1, 2 and no
// bound gave the same graph and 0 cost up to 0.2 % more LUT bits (README, "Sharing adders"): the
// bound is a guard against long chains in larger layers that costs nothing where chains do not pay.
#include "export/cse.h"
#include "export/cse_internal.h"

#include <algorithm>
#include <bit>
#include <queue>

#include "core/error.h"

namespace hgq::cse {
namespace detail {

Count& CountMap::operator[](uint64_t key) {
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

void CountMap::grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    --shift_;
    for (const Slot& s : old)
        if (s.key != 0) slots_[slot(s.key)] = s;
}

namespace {

// The pattern two terms of one output form; the lower term is the pattern's `a`.
uint64_t key_of(const Term& x, const Term& y) {
    const Term& lo = before(x, y) ? x : y;
    const Term& hi = before(x, y) ? y : x;
    return pack(lo.node, hi.node, hi.shift - lo.shift, lo.neg != hi.neg);
}

// Carry-chain bits of the adder a + (±b)·2^d: the sum's width less the low bits that pass through.
int adder_width(const State& s, const Pattern& p) {
    const Range r = sum_range(s.range[p.a], {p.a, 0, false}, s.range[p.b], {p.b, p.d, p.neg});
    const int gap = std::abs(s.range[p.a].exp - (s.range[p.b].exp + p.d));
    return std::max(1, signed_bits(r.lo, r.hi) - gap);
}

// Occurrences × adder width: only the order in which patterns are proposed for exact pricing (the
// first version made the best-scored one; (n − 1) × width or count first with width as the
// tie-break changed the adder bits by under 1 % there).
}  // namespace

int64_t score(const Count& c) {
    return int64_t(c.n) * c.width;
}

namespace {

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

// The first occurrence of `p` in `v` not overlapping terms marked in `used` (none if null):
// indices (i, k).
bool find_occurrence(const std::vector<Term>& v, const Pattern& p, const std::vector<char>* used,
                     int& i, int& k) {
    auto it = std::lower_bound(v.begin(), v.end(), Term{p.a, INT32_MIN, false}, before);
    for (; it != v.end() && it->node == p.a; ++it) {
        i = int(it - v.begin());
        k = find_term(v, p.b, it->shift + p.d);
        if (k >= 0 && (!used || (!(*used)[i] && !(*used)[k])) && v[k].neg == (it->neg != p.neg))
            return true;
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
    while (find_occurrence(s.out[j], p, &used, i, k)) {
        if (s.cap >= 0 && s.load[j] + (n + 1) * grow > s.cap) break;
        used[i] = used[k] = 1;
        ++n;
    }
    return n;
}

// Replaces one occurrence of `p` in output j by node `node`, updating the pair counts.
void substitute(State& s, int j, const Pattern& p, int32_t node) {
    std::vector<Term>& v = s.out[j];
    Term ti, tk;
    if (!replace_once(v, p, node, ti, tk)) throw Error::runtime("CSE", "lost an occurrence");
    const Term t{node, ti.shift, ti.neg};
    dec(s, key_of(ti, tk));
    for (const Term& u : v) {
        if (u.node == node && u.shift == t.shift) continue;  // the term just made
        dec(s, key_of(ti, u));
        dec(s, key_of(tk, u));
        inc(s, key_of(t, u));
    }
    if (s.cap >= 0)
        s.load[j] += (int64_t(1) << s.depth[node]) - (int64_t(1) << s.depth[p.a]) -
                     (int64_t(1) << s.depth[p.b]);
    if (s.where[node].empty() || s.where[node].back() != j) s.where[node].push_back(j);
}

}  // namespace

bool apply(State& s, const Pattern& p) {
    const int dp = std::max(s.depth[p.a], s.depth[p.b]) + 1;
    if (s.cap >= 0 && dp >= 62) return false;
    int total = 0;
    const Plan plan = plan_of(s, p, dp, total);
    if (total < 2) return false;
    const int32_t node = int32_t(s.range.size());
    if (node >= (1 << 24)) throw Error::runtime("CSE", "more than 2^24 intermediates");
    const Node made{{p.a, 0, false}, {p.b, p.d, p.neg}};
    s.nodes.push_back(made);
    s.range.push_back(sum_range(s.range[p.a], made.a, s.range[p.b], made.b));
    int bits = 0;
    s.value.push_back(add_values(scaled(s.value[p.a], made.a), scaled(s.value[p.b], made.b), bits));
    s.node_bits += bits;
    s.depth.push_back(dp);
    s.where.emplace_back();
    for (const auto& [j, n] : plan) {
        for (int r = 0; r < n; ++r) substitute(s, j, p, node);
        s.cost[j] = tree_cost(s, s.out[j]);
        ++s.version[j];
    }
    return true;
}

namespace {

// How many of the best-scored patterns are priced exactly each round (State::candidates): the
// score only proposes, the exact gain decides. On the digits MLP's largest point 16, 64, 256 and
// 1,024 gave 4,630, 4,499, 4,462 and 4,447 LUT bits (4,711 by the score alone); the time grows
// about linearly with it and with the layer's digits, so 2^18 / digits of them, within [32, 256]
// (224–256 for the layers of the digits MLP and the jet-tagger shape, 32 for a 784-input layer).
size_t candidate_count(const std::vector<std::vector<Term>>& out) {
    size_t n = 1;
    for (const auto& v : out) n += v.size();
    return std::clamp<size_t>((size_t(1) << 18) / n, 32, 256);
}

int ceil_log2(size_t n) {
    return n <= 1 ? 0 : int(std::bit_width(n - 1));
}

// The state before any sharing: every pair of every output counted once.
State initial(const std::vector<Range>& inputs, std::vector<std::vector<Term>> outputs,
              const Options& opt) {
    State s;
    s.range = inputs;
    for (const Range& r : inputs) s.value.push_back({r.lo, r.hi, r.exp, false});
    s.depth.assign(inputs.size(), 0);
    s.where.resize(inputs.size());
    s.out = std::move(outputs);
    size_t pairs = 0;
    for (const auto& v : s.out) pairs += v.size() * (v.size() - (v.empty() ? 0 : 1)) / 2;
    s.count = CountMap(std::min<size_t>(pairs, size_t(1) << 20));  // distinct ones: fewer
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
    for (const auto& v : s.out) s.cost.push_back(tree_cost(s, v));
    s.candidates = candidate_count(s.out);
    s.version.assign(s.out.size(), 0);
    if (opt.max_extra_depth >= 0) s.cap = int64_t(1) << std::min(60, deepest + opt.max_extra_depth);
    s.count.for_each([&s](uint64_t key, Count& c) {
        c.width = adder_width(s, unpack(key));
        if (c.n >= 2) s.heap.push({score(c), key});
    });
    return s;
}

}  // namespace

Plan plan_of(const State& s, const Pattern& p, int dp, int& total) {
    Plan plan;
    total = 0;
    for (int32_t j : s.where[p.a]) {
        const int n = usable(s, j, p, dp);
        if (n > 0) plan.push_back({j, n}), total += n;
    }
    return plan;
}

bool replace_once(std::vector<Term>& v, const Pattern& p, int32_t node, Term& ti, Term& tk) {
    int i = 0, k = 0;
    if (!find_occurrence(v, p, nullptr, i, k)) return false;
    ti = v[i], tk = v[k];
    v.erase(v.begin() + std::max(i, k));
    v.erase(v.begin() + std::min(i, k));
    const Term t{node, ti.shift, ti.neg};
    v.insert(std::upper_bound(v.begin(), v.end(), t, before), t);
    return true;
}

}  // namespace detail

Graph share(const std::vector<Range>& inputs, std::vector<std::vector<Term>> outputs,
            const Options& opt, int64_t* lut_bits) {
    Graph g;
    g.inputs = int(inputs.size());
    if (!opt.enabled) {
        g.outputs = std::move(outputs);
        return g;
    }
    detail::State s = detail::initial(inputs, std::move(outputs), opt);
    detail::share_all(s);
    if (lut_bits) {
        *lut_bits = s.node_bits;
        for (int64_t c : s.cost) *lut_bits += c;
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
