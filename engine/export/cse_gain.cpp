// SPDX-License-Identifier: GPL-3.0-or-later
// What one shared intermediate really saves. Counting occurrences × adder width (the first
// version) overrates narrow patterns: on the digits MLP most first-layer terms are 2-bit inputs,
// and replacing two of them by their 3-bit sum in an output's tree saves that tree one adder but
// widens the leaf it keeps, while the shared adder itself costs its width once. So every candidate
// is priced the way yosys pays for it: the LUT bits (carry-chain width − 1: the top sign bit is
// free) of the new adder plus, for every output that would use it, its narrowest-first tree after
// the substitution less the tree before — the very trees the Verilog writer builds.
#include <algorithm>
#include <bit>
#include <climits>
#include <functional>
#include <limits>

#include "core/error.h"
#include "export/cse_internal.h"

namespace hgq::cse::detail {

Value scaled(Value v, const Term& t) {
    v.lsb += t.shift;
    v.neg = v.neg != t.neg;
    return v;
}

// Mirrors vlog::combine_nodes: the operand with the lower lsb keeps its low bits unadded, a
// difference takes it as the minuend, the carry chain spans the overlap only.
Value add_values(const Value& a, const Value& b, int& lut_bits) {
    const bool a_low = a.lsb < b.lsb || (a.lsb == b.lsb && (!a.neg || b.neg));
    const Value& low = a_low ? a : b;
    const Value& high = a_low ? b : a;
    const bool sub = a.neg != b.neg;
    const int d = high.lsb - low.lsb;
    if (d > 100) throw Error::runtime("CSE", "a sum needs over 100 bits");
    const Wide llo = low.lo >> d, lhi = low.hi >> d;
    lut_bits =
        signed_bits(sub ? llo - high.hi : llo + high.lo, sub ? lhi - high.lo : lhi + high.hi) - 1;
    const Wide h_lo = high.lo * (Wide(1) << d), h_hi = high.hi * (Wide(1) << d);
    return {sub ? low.lo - h_hi : low.lo + h_lo, sub ? low.hi - h_lo : low.hi + h_hi, low.lsb,
            low.neg};
}

namespace {

int top_of(const Value& x) {
    return x.lsb + signed_bits(x.lo, x.hi);
}

// The writer's order: lowest top bit first, then lowest lsb, as one integer key.
int64_t tree_key(const Value& x) {
    return (int64_t(top_of(x)) << 32) + int64_t(x.lsb) + (int64_t(1) << 31);
}

// Adds the leaves `vals` in the writer's order with a heap of (key, index): for a few leaves
// spread over many bit positions, where the bucket queue below would mostly scan empty buckets.
int64_t merge_by_heap(std::vector<Value>& vals) {
    std::vector<std::pair<int64_t, int32_t>> heap;
    for (size_t i = 0; i < vals.size(); ++i) heap.push_back({tree_key(vals[i]), int32_t(i)});
    const std::greater<> earliest_on_top;
    std::make_heap(heap.begin(), heap.end(), earliest_on_top);
    int64_t cost = 0;
    while (heap.size() > 1) {
        std::pop_heap(heap.begin(), heap.end(), earliest_on_top);
        const int32_t a = heap.back().second;
        heap.pop_back();
        std::pop_heap(heap.begin(), heap.end(), earliest_on_top);
        int bits = 0;
        vals.push_back(add_values(vals[a], vals[heap.back().second], bits));
        cost += bits;
        heap.back() = {tree_key(vals.back()), int32_t(vals.size() - 1)};
        std::push_heap(heap.begin(), heap.end(), earliest_on_top);
    }
    return cost;
}

// The same with a bucket queue, one list per (top, lsb). A sum's top is at least its operands'
// and its lsb is the lower one, so a new sum is never below the first operand's key, and where it
// is below the second's it is the least left: the cursor only falls back to such a sum. On a
// 784-input layer the heap cost most of the export time. Tops lie in [top_lo, top_lo + tops).
int64_t merge_by_buckets(std::vector<Value>& vals, int top_lo, int tops, int lsb_lo, int lsbs) {
    std::vector<int32_t> head(size_t(tops) * lsbs, -1), next(2 * vals.size(), -1);
    const auto push = [&](int32_t i) {
        const size_t b = size_t(top_of(vals[i]) - top_lo) * lsbs + (vals[i].lsb - lsb_lo);
        next[i] = head[b];
        head[b] = i;
        return b;
    };
    size_t cursor = 0;
    const auto pop = [&]() {
        while (head[cursor] < 0) ++cursor;
        const int32_t i = head[cursor];
        head[cursor] = next[i];
        return i;
    };
    const size_t leaves = vals.size();
    for (size_t i = 0; i < leaves; ++i) push(int32_t(i));
    int64_t cost = 0;
    for (size_t n = 1; n < leaves; ++n) {
        const int32_t a = pop(), b = pop();
        int bits = 0;
        vals.push_back(add_values(vals[a], vals[b], bits));
        cost += bits;
        cursor = std::min(cursor, push(int32_t(vals.size() - 1)));
    }
    return cost;
}

}  // namespace

int64_t tree_cost(const State& s, const std::vector<Term>& v) {
    std::vector<Value> vals;  // the leaves, then every partial sum
    vals.reserve(2 * v.size());
    int top_lo = INT32_MAX, top_hi = INT32_MIN, lsb_lo = INT32_MAX, lsb_hi = INT32_MIN;
    for (const Term& t : v) {
        const Value x = scaled(s.value[t.node], t);
        if (x.lo == 0 && x.hi == 0) continue;  // absent, as in the writer
        vals.push_back(x);
        top_lo = std::min(top_lo, top_of(x)), top_hi = std::max(top_hi, top_of(x));
        lsb_lo = std::min(lsb_lo, x.lsb), lsb_hi = std::max(lsb_hi, x.lsb);
    }
    if (vals.size() < 2) return 0;
    // A sum of m terms is at most log2(m) + 1 bits above its widest term.
    const int64_t lsbs = lsb_hi - lsb_lo + 1,
                  tops = top_hi - top_lo + 2 + int(std::bit_width(vals.size()));
    if (tops * lsbs > 8 * int64_t(vals.size()) + 64) return merge_by_heap(vals);
    return merge_by_buckets(vals, top_lo, int(tops), lsb_lo, int(lsbs));
}

int64_t gain_of(State& s, uint64_t key, int dp) {
    const Pattern p = unpack(key);
    // An existing pattern never gains occurrences (only a new intermediate forms new pairs), so
    // its gain can change only where it occurs, and an output changes only with its version.
    Gain& g = s.gains[key];
    if (!g.outputs.empty()) {
        uint64_t stamp = 0;
        for (int32_t j : g.outputs) stamp += s.version[j];
        if (stamp == g.stamp) return g.delta;
    }
    int total = 0;
    const Plan plan = plan_of(s, p, dp, total);
    g.delta = std::numeric_limits<int64_t>::max();
    g.outputs.clear();
    g.stamp = 0;
    if (total < 2) return g.delta;
    int bits = 0;
    const int32_t node = int32_t(s.value.size());
    s.value.push_back(add_values(scaled(s.value[p.a], {p.a, 0, false}),
                                 scaled(s.value[p.b], {p.b, p.d, p.neg}), bits));
    g.delta = bits;
    Term ti, tk;
    for (const auto& [j, n] : plan) {
        std::vector<Term> v = s.out[j];
        for (int r = 0; r < n; ++r) replace_once(v, p, node, ti, tk);
        g.delta += tree_cost(s, v) - s.cost[j];
        g.outputs.push_back(j);
        g.stamp += s.version[j];
    }
    s.value.pop_back();
    return g.delta;
}

}  // namespace hgq::cse::detail
