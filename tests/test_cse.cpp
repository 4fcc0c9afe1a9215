// SPDX-License-Identifier: GPL-3.0-or-later
// The shared adder graph (export/cse.h) against the direct product: thousands of random small
// integer matrices (negative entries, zero columns, pruned inputs, wide and narrow ranges, mixed
// fractional bits) and random inputs, with canonical and random minimal digit forms; every output
// of the graph, evaluated exactly, must equal Σ x·w, every intermediate must stay inside the range
// the graph claims for it, and every output must respect the depth bound. Also: the random digit
// forms are exact and minimal, and trying more of them never gives a costlier graph.
#include <QtTest>

#include <random>

#include "export/cse.h"

namespace hgq {
namespace {

constexpr int kE0 = -64;  // every exact value below is an integer multiple of 2^kE0

// v · 2^s in units of 2^kE0; fails the test if a right shift would drop a set bit.
Wide scale(Wide v, int s, bool& exact) {
    if (s >= 0) return v * (Wide(1) << s);
    const Wide q = v / (Wide(1) << -s);
    exact = exact && q * (Wide(1) << -s) == v;
    return q;
}

struct Case {
    IntLayer d;
    std::vector<cse::Range> in;  // (K) per input
    std::vector<Wide> x;         // (K) one input sample, codes
};

Case random_case(std::mt19937_64& rng) {
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    Case c;
    IntLayer& d = c.d;
    d.in = pick(1, 12), d.out = pick(1, 10);
    const int wbits = pick(1, 9);  // narrow to wide weights
    const bool per_weight_f = pick(0, 1);
    for (int k = 0; k < d.in; ++k) {
        const bool zero_row = pick(0, 7) == 0, pruned = pick(0, 6) == 0, is_signed = pick(0, 1);
        const int bits = pick(1, 12), f = pick(-2, 8);
        const Wide b = (Wide(1) << (bits - 1));
        c.in.push_back(pruned ? cse::Range{0, 0, -f} : cse::Range{is_signed ? -b : 0, b - 1, -f});
        const cse::Range& r = c.in.back();
        c.x.push_back(r.lo +
                      Wide(std::uniform_int_distribution<int64_t>(0, int64_t(r.hi - r.lo))(rng)));
        for (int j = 0; j < d.out; ++j) {
            const int64_t m = (int64_t(1) << wbits) - 1;
            d.w_code.push_back(zero_row || pick(0, 4) == 0 ? 0 : pick(int(-m), int(m)));
            d.w_f.push_back(per_weight_f ? pick(-1, 10) : 4);
        }
    }
    return c;
}

// Exact value (units of 2^kE0) of every node of `g` on the inputs `x`.
std::vector<Wide> evaluate(const cse::Graph& g, const Case& c, bool& exact) {
    std::vector<Wide> v;
    for (int k = 0; k < g.inputs; ++k) v.push_back(scale(c.x[k], c.in[k].exp - kE0, exact));
    for (const cse::Node& n : g.nodes) {
        const Wide a = scale(v[n.a.node], n.a.shift, exact),
                   b = scale(v[n.b.node], n.b.shift, exact);
        v.push_back((n.a.neg ? -a : a) + (n.b.neg ? -b : b));
    }
    return v;
}

}  // namespace
}  // namespace hgq

class CseTest : public QObject {
    Q_OBJECT
  private slots:
    void sharedGraphEqualsDirectProduct() {
        using namespace hgq;
        std::mt19937_64 rng(18);
        int64_t nodes = 0, terms_before = 0, terms_after = 0;
        for (int trial = 0; trial < 4000; ++trial) {
            const Case c = random_case(rng);
            const int extra = int(trial % 4) - 1;  // unbounded, 0, 1, 2
            // 1–3 digit representations: the canonical one, then random minimal ones (which
            // keep the same digit count, so the depth bound below still applies).
            const cse::Graph g = cse::share_layer(c.d, c.in, {true, extra, 1 + (trial / 4) % 3});
            bool exact = true;
            const std::vector<Wide> v = evaluate(g, c, exact);
            QVERIFY2(exact, "an intermediate's shift dropped bits");
            std::vector<cse::Range> range(c.in.begin(), c.in.end());
            std::vector<int> depth(g.inputs, 0);
            for (size_t i = 0; i < g.nodes.size(); ++i) {
                const cse::Node& n = g.nodes[i];
                QVERIFY(!n.a.neg && n.a.shift == 0);
                range.push_back(cse::sum_range(range[n.a.node], n.a, range[n.b.node], n.b));
                depth.push_back(std::max(depth[n.a.node], depth[n.b.node]) + 1);
                const cse::Range& r = range.back();  // the value, at the node's own exponent
                const Wide stored = v[g.inputs + i] / (Wide(1) << (r.exp - kE0));
                QVERIFY2(stored * (Wide(1) << (r.exp - kE0)) == v[g.inputs + i] && stored >= r.lo &&
                             stored <= r.hi,
                         "an intermediate left its range");
            }
            size_t widest = 0;
            for (int j = 0; j < c.d.out; ++j) {
                std::vector<cse::Term> digits;
                for (int k = 0; k < c.d.in; ++k)
                    if (c.in[k].lo != 0 || c.in[k].hi != 0)
                        cse::append_digits(digits, k, c.d.w_code[k * c.d.out + j],
                                           c.d.w_f[k * c.d.out + j]);
                widest = std::max(widest, digits.size());
                terms_before += int64_t(digits.size());
            }
            for (int j = 0; j < c.d.out; ++j) {
                Wide direct = 0, shared = 0;
                for (int k = 0; k < c.d.in; ++k)
                    direct += scale(c.x[k] * c.d.w_code[k * c.d.out + j],
                                    c.in[k].exp - c.d.w_f[k * c.d.out + j] - kE0, exact);
                int64_t load = 0;
                for (const cse::Term& t : g.outputs[j]) {
                    const Wide s = scale(v[t.node], t.shift, exact);
                    shared += t.neg ? -s : s;
                    load += int64_t(1) << depth[t.node];
                }
                terms_after += int64_t(g.outputs[j].size());
                QVERIFY(exact);
                if (direct != shared)
                    QFAIL(qPrintable(QString("trial %1 output %2: shared graph %3 != direct %4")
                                         .arg(trial)
                                         .arg(j)
                                         .arg(double(shared))
                                         .arg(double(direct))));
                if (extra >= 0) {  // the least depth of this output's tree within the bound
                    const int base = widest <= 1 ? 0 : int(std::bit_width(widest - 1));
                    QVERIFY2(load <= (int64_t(1) << (base + extra)), "depth bound exceeded");
                }
            }
            nodes += int64_t(g.nodes.size());
        }
        qInfo("4000 random layers: %lld intermediates; output terms %lld -> %lld", (long long)nodes,
              (long long)terms_before, (long long)terms_after);
        QVERIFY(nodes > 1000);  // sharing really happened
        QVERIFY(terms_after + nodes < terms_before);
    }

    // Every random minimal signed-digit form sums to the weight with as few digits as the
    // canonical form, and the alternatives really occur (3 = 4 − 1 or 2 + 1).
    void minimalDigitFormsAreExact() {
        using namespace hgq;
        std::mt19937_64 rng(7);
        uint64_t state = 0x2545F4914F6CDD1Dull;
        bool three_both[2] = {false, false};
        for (int trial = 0; trial < 20000; ++trial) {
            const int bits = std::uniform_int_distribution<int>(1, 62)(rng);
            const int64_t m = int64_t(rng() >> (64 - bits));
            const int64_t w = trial == 0 ? INT64_MIN + 1 : (rng() & 1 ? -m : m);
            const int f = std::uniform_int_distribution<int>(-3, 3)(rng);
            std::vector<cse::Term> canon, alt;
            cse::append_digits(canon, 0, w, f);
            cse::append_digits(alt, 0, w, f, &state);
            QCOMPARE(alt.size(), canon.size());
            Wide sum = 0;
            for (const cse::Term& t : alt) {
                QVERIFY(t.shift + f >= 0 && t.shift + f < 64);
                const Wide v = Wide(1) << (t.shift + f);
                sum += t.neg ? -v : v;
            }
            QVERIFY2(sum == Wide(w), "a digit form does not sum to its weight");
            if (w == 3) three_both[alt[0].neg] = true;
        }
        for (int i = 0; i < 64; ++i) {
            std::vector<cse::Term> alt;
            cse::append_digits(alt, 0, 3, 0, &state);
            three_both[alt[0].neg] = true;
        }
        QVERIFY(three_both[0] && three_both[1]);
    }

    // The graph kept is never costlier (LUT bits by the CSE's model of the writer's adders) than
    // the canonical digits' alone: more tries only add choices.
    void triesNeverCostMore() {
        using namespace hgq;
        std::mt19937_64 rng(11);
        int fewer = 0;
        for (int trial = 0; trial < 150; ++trial) {
            const Case c = random_case(rng);
            int64_t one = -1, eight = -1;
            cse::share_layer(c.d, c.in, {true, 1, 1}, &one);
            cse::share_layer(c.d, c.in, {true, 1, 8}, &eight);
            QVERIFY(one >= 0 && eight >= 0);
            QVERIFY2(eight <= one, "more digit forms tried gave a costlier graph");
            fewer += eight < one;
        }
        qInfo("150 random layers: 8 digit forms cheaper than the canonical one in %d", fewer);
        QVERIFY(fewer > 0);  // the other forms do get chosen
    }

    // Two outputs with the same weights share everything: one output's adders, not two.
    void identicalColumnsShareEveryAdder() {
        using namespace hgq;
        IntLayer d;
        d.in = 4, d.out = 2;
        for (int64_t w : {5, 5, -3, -3, 7, 7, 1, 1}) d.w_code.push_back(w), d.w_f.push_back(0);
        const std::vector<cse::Range> in(4, cse::Range{-8, 7, 0});
        const cse::Graph g = cse::share_layer(d, in, {true, -1});
        // 7 digits per output (5 = 4 + 1, −3 = −4 + 1, 7 = 8 − 1, 1): 6 adders each unshared;
        // shared, the 6 are computed once and each output is a single term.
        QCOMPARE(int(g.outputs[0].size()), 1);
        QCOMPARE(int(g.outputs[1].size()), 1);
        QCOMPARE(int(g.nodes.size()), 6);
        const cse::Graph off = cse::share_layer(d, in, {false, 1});
        QVERIFY(off.nodes.empty());
        QCOMPARE(int(off.outputs[0].size()), 7);
    }
};

QTEST_GUILESS_MAIN(CseTest)
#include "test_cse.moc"
