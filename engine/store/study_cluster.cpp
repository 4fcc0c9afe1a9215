// SPDX-License-Identifier: GPL-3.0-or-later
// Sweeps on a cluster: which run each array task runs, the job that runs it, the scheduler's
// state, and the merge of a task's published shard into the study.
#include <sqlite3.h>

#include "core/error.h"
#include "store/study.h"

namespace hgq::store {

void Study::add_cluster_tasks(int64_t sweep, const std::string& folder,
                              const std::vector<int64_t>& runs) {
    Transaction t(*db_);
    Stmt s(*db_,
           "INSERT OR REPLACE INTO cluster_tasks(sweep_id, task, run_id, folder) VALUES "
           "(?1, ?2, ?3, ?4)");
    for (size_t i = 0; i < runs.size(); ++i) {
        s.bind(1, sweep).bind(2, int64_t(i)).bind(3, runs[i]).bind(4, folder);
        s.run();
    }
    t.commit();
}

void Study::set_task_job(int64_t sweep, const std::vector<int>& tasks, const std::string& job) {
    Transaction t(*db_);
    Stmt task(*db_,
              "UPDATE cluster_tasks SET job_id = ?3, state = 'PENDING' WHERE sweep_id = ?1 AND "
              "task = ?2");
    Stmt run(*db_,
             "UPDATE runs SET owner = ?3, status = CASE WHEN status = 'done' THEN status ELSE "
             "'queued' END, error = '' WHERE id = (SELECT run_id FROM cluster_tasks WHERE "
             "sweep_id = ?1 AND task = ?2)");
    for (int k : tasks) {
        task.bind(1, sweep).bind(2, int64_t(k)).bind(3, job);
        task.run();
        run.bind(1, sweep).bind(2, int64_t(k)).bind(3, "slurm:" + job + "_" + std::to_string(k));
        run.run();
    }
    t.commit();
}

void Study::set_task_state(int64_t sweep, int task, const std::string& state) {
    Transaction t(*db_);
    Stmt(*db_, "UPDATE cluster_tasks SET state = ?3 WHERE sweep_id = ?1 AND task = ?2")
        .bind(1, sweep)
        .bind(2, int64_t(task))
        .bind(3, state)
        .run();
    t.commit();
}

std::vector<ClusterTaskRecord> Study::cluster_tasks(int64_t sweep) {
    std::vector<ClusterTaskRecord> out;
    if (schema_version_ < 4) return out;
    Stmt s(*db_,
           "SELECT sweep_id, task, run_id, folder, job_id, state, shard_stamp, collected FROM "
           "cluster_tasks WHERE ?1 < 0 OR sweep_id = ?1 ORDER BY sweep_id, task");
    s.bind(1, sweep);
    while (s.step())
        out.push_back({s.int64(0), int(s.int64(1)), s.int64(2), s.text(3), s.text(4), s.text(5),
                       s.text(6), s.text(7)});
    return out;
}

}  // namespace hgq::store
