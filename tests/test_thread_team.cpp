// SPDX-License-Identifier: GPL-3.0-or-later
// The engine's thread team (core/thread_team.h) and what rests on it: every task runs exactly
// once per hand-off, errors come back to the caller, nested and concurrent callers work, and a
// training step is bit-for-bit the same for the same seed and thread count (the determinism
// guarantee), on the jet tagger and the CNN of `hgq bench`.
#include <QtTest>
#include <atomic>
#include <chrono>
#include <thread>

#include "core/error.h"
#include "core/parallel.h"
#include "nn/kernels.h"
#include "train/adam.h"
#include "train/throughput_bench.h"

using namespace hgq;

namespace {

// Trains `steps` batches of a bench model from a fixed seed; returns every parameter, flat.
std::vector<Scalar> train_steps(const std::string& name, int batch, int threads, int steps) {
    Model model(bench_model_spec(name), bench_input_shape(name), bench_classes(name), 3);
    Mat x(int64_t(batch) * steps, shape_size(bench_input_shape(name)));  // (steps·batch, features)
    fill_uniform(x.data(), x.size(), 1.5f, 11);
    std::vector<int32_t> y(x.rows());
    for (int64_t r = 0; r < x.rows(); ++r) y[r] = int32_t((r * 7) % bench_classes(name));
    model.prepare_training(x.topRows(batch));
    Adam adam({5e-3, 0.9, 0.999, 1e-7});
    for (int s = 0; s < steps; ++s) {
        const Mat xb = x.middleRows(int64_t(s) * batch, batch);
        model.forward(xb, ForwardContext{true, true, threads, uint64_t(s)});
        model.loss(y.data() + int64_t(s) * batch, Scalar(1e-6), Scalar(2e-6), true, threads);
        adam.step(model.params(), 5e-3, threads);
    }
    std::vector<Scalar> flat;
    for (const Param& p : model.params()) flat.insert(flat.end(), p.value, p.value + p.size);
    return flat;
}

}  // namespace

class ThreadTeamTest : public QObject {
    Q_OBJECT
  private slots:
    void everyTaskRunsOncePerHandOff() {
        for (int n = 1; n <= 6; ++n) {
            std::vector<std::atomic<int>> runs(n);
            for (int round = 0; round < 3000; ++round)
                parallel_rows(int64_t(n) * 64, n, [&](RowBlock, int t) { runs[t]++; });
            for (int t = 0; t < n; ++t) QCOMPARE(runs[t].load(), 3000);
        }
    }

    void blocksCoverEveryRowOnce() {
        std::vector<int> hits(1000, 0);
        parallel_rows(1000, 3, [&](RowBlock b, int) {
            for (int64_t r = b.begin; r < b.end; ++r) hits[r]++;
        });
        QCOMPARE(std::count(hits.begin(), hits.end(), 1), 1000L);
    }

    // A task's error reaches the caller, and only after the other tasks have finished.
    void anErrorComesBackAfterEveryTask() {
        std::atomic<int> finished{0};
        bool caught = false;
        try {
            parallel_rows(128, 2, [&](RowBlock, int t) {
                if (t == 1) throw Error::bad_input("task", "failed on purpose");
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                finished++;
            });
        } catch (const Error& e) {
            caught = QString::fromStdString(e.what()).contains("failed on purpose");
        }
        QVERIFY(caught);
        QCOMPARE(finished.load(), 1);
        int after = 0;  // the team still works after an error
        parallel_rows(128, 2, [&](RowBlock b, int) { after += int(b.size()) > 0; });
        QVERIFY(after >= 1);
    }

    void nestedCallsRunInline() {
        std::atomic<int64_t> rows{0};
        parallel_rows(256, 2, [&](RowBlock outer, int) {
            parallel_rows(outer.size(), 2, [&](RowBlock inner, int) { rows += inner.size(); });
        });
        QCOMPARE(rows.load(), int64_t(256));
    }

    // Runs of a sweep train at once, each from its own thread with its own team.
    void concurrentCallersKeepTheirOwnTeams() {
        std::vector<std::thread> callers;
        std::vector<int64_t> sums(3, 0);
        for (int c = 0; c < 3; ++c)
            callers.emplace_back([&, c] {
                for (int round = 0; round < 400; ++round) {
                    std::vector<int64_t> part(2, 0);
                    parallel_rows(1000, 2, [&](RowBlock b, int t) {
                        for (int64_t r = b.begin; r < b.end; ++r) part[t] += r;
                    });
                    sums[c] += part[0] + part[1];
                }
            });
        for (auto& t : callers) t.join();
        for (int c = 0; c < 3; ++c) QCOMPARE(sums[c], int64_t(400) * 999 * 1000 / 2);
    }

    // Adam on 2 threads splits the parameters laid end to end, with ranges that start and end
    // inside tensors: every element must get exactly the 1-thread update, including the tensors
    // (here of 1, 63, 64 and 1,000 elements) that straddle the split.
    void adamOnTwoThreadsMatchesOneThread() {
        const std::vector<int64_t> sizes{1000, 63, 1, 64, 7};
        std::vector<std::vector<Scalar>> values[2], grads(sizes.size());
        for (size_t p = 0; p < sizes.size(); ++p) {
            grads[p].resize(sizes[p]);
            fill_uniform(grads[p].data(), sizes[p], 1.0f, 40 + p);
        }
        std::vector<Scalar> start(1135);
        fill_uniform(start.data(), int64_t(start.size()), 2.0f, 39);
        for (int run = 0; run < 2; ++run) {
            std::vector<Param> params;
            int64_t offset = 0;
            for (size_t p = 0; p < sizes.size(); ++p) {
                values[run].emplace_back(start.begin() + offset, start.begin() + offset + sizes[p]);
                offset += sizes[p];
            }
            for (size_t p = 0; p < sizes.size(); ++p)
                params.push_back({"p", values[run][p].data(), grads[p].data(), sizes[p], false});
            Adam adam({1e-2, 0.9, 0.999, 1e-7});
            for (int step = 0; step < 5; ++step) adam.step(params, 1e-2, run + 1);
        }
        for (size_t p = 0; p < sizes.size(); ++p) QVERIFY(values[0][p] == values[1][p]);
        QVERIFY(values[0][0] != std::vector<Scalar>(start.begin(), start.begin() + 1000));
    }

    // Same seed, same thread count: the same parameters, bit for bit.
    void trainingIsDeterministic() {
        for (const char* name : {"jsc", "fmnist-cnn"})
            for (int threads : {1, 2}) {
                const int batch = std::string(name) == "jsc" ? 512 : 64;
                const auto a = train_steps(name, batch, threads, 3);
                const auto b = train_steps(name, batch, threads, 3);
                QVERIFY2(a == b, name);
                qInfo("%s, %d thread(s): %zu parameters identical after 3 steps", name, threads,
                      a.size());
            }
    }
};

QTEST_GUILESS_MAIN(ThreadTeamTest)
#include "test_thread_team.moc"
