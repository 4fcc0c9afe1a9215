// SPDX-License-Identifier: GPL-3.0-or-later
// Row-block parallelism. A batch is split into contiguous row blocks, one per thread, and each
// block runs Eigen's single-threaded kernels: small GEMMs (a 1024×16 by 16×64 product) parallelise
// far better by rows than inside Eigen, and each run of a sweep keeps its own thread cap. The
// threads are a per-caller team (core/thread_team.h) that hands work off in about a microsecond.
#pragma once
#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "core/thread_team.h"

namespace hgq {

struct RowBlock {
    int64_t begin, end;
    int64_t size() const { return end - begin; }
};

inline RowBlock row_block(int64_t rows, int t, int n_threads) {
    const int64_t per = rows / n_threads, extra = rows % n_threads;
    const int64_t begin = t * per + std::min<int64_t>(t, extra);
    return {begin, begin + per + (t < extra ? 1 : 0)};
}

// Number of threads worth using for `rows` rows: below ~64 rows a block costs more to hand out
// than to compute.
inline int threads_for(int64_t rows, int cap) {
    return static_cast<int>(std::clamp<int64_t>(rows / 64, 1, std::max(cap, 1)));
}

// fn(RowBlock, thread_index) on each block, in parallel when n_threads > 1.
template <class Fn>
void parallel_rows(int64_t rows, int cap, Fn&& fn) {
    const int n = threads_for(rows, cap);
    if (n <= 1) {
        fn(RowBlock{0, rows}, 0);
        return;
    }
    struct Job {
        std::remove_reference_t<Fn>* fn;
        int64_t rows;
        int n;
    } job{&fn, rows, n};
    run_team(
        n,
        [](void* ctx, int t) {
            Job& j = *static_cast<Job*>(ctx);
            (*j.fn)(row_block(j.rows, t, j.n), t);
        },
        &job);
}

}  // namespace hgq

#include "core/types.h"

namespace hgq {

// Per-thread partial results of a parallel region, summed after it. Reused across calls so the
// hot loop does not allocate.
template <class T>
struct Partials {
    std::vector<T> parts;
    void reset(int n, Eigen::Index rows, Eigen::Index cols) {
        parts.resize(n);
        for (auto& p : parts) p.setZero(rows, cols);
    }
    T sum() const {
        T s = parts[0];
        for (size_t t = 1; t < parts.size(); ++t) s += parts[t];
        return s;
    }
};

// acc += Σ rows of block (row-major rows are contiguous: this vectorises across columns).
template <class Block>
void add_rows(const Block& block, RowVec& acc) {
    for (Eigen::Index r = 0; r < block.rows(); ++r) acc += block.row(r);
}

}  // namespace hgq

namespace hgq {

// fn(chunk) over consecutive chunks of a block, each whole samples and about `target_rows` rows
// (at least one sample): a GEMM and the element-wise passes after it then run while the chunk is
// still in cache, instead of each pass streaming the whole block from memory.
template <class Fn>
void for_chunks(RowBlock blk, int64_t rows_per_sample, int64_t target_rows, Fn&& fn) {
    const int64_t step = std::max<int64_t>(1, target_rows / rows_per_sample) * rows_per_sample;
    for (int64_t begin = blk.begin; begin < blk.end; begin += step)
        fn(RowBlock{begin, std::min(blk.end, begin + step)});
}

// Row blocks that never split a sample: a convolution's batch has `rows_per_sample` im2col rows
// per sample, and a per-element quantizer's groups repeat once per sample.
template <class Fn>
void parallel_samples(int64_t rows, int64_t rows_per_sample, int cap, Fn&& fn) {
    parallel_rows(rows / rows_per_sample, cap, [&](RowBlock b, int t) {
        fn(RowBlock{b.begin * rows_per_sample, b.end * rows_per_sample}, t);
    });
}

}  // namespace hgq
