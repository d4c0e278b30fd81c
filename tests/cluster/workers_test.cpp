// Workers that join a coordinator share its jobs, and losing one costs no
// job: its running attempts are re-queued at once as the next attempt.
#include <signal.h>

#include <set>

#include <catch2/catch.hpp>

#include "tests/cluster/cluster_fixture.hpp"

using namespace troupe::cluster_test;

TEST_CASE_METHOD(cluster_fixture,
                 "two workers run 500 jobs of a coordinator without executors",
                 "[cluster]") {
  start_coordinator({"--slots", "0"});
  start_worker("w1");
  start_worker("w2");
  auto ids = submit_many("sleep", R"({"ms": 20})", 500);
  wait_all(ids);
  std::map<std::string, size_t> ran_on;
  auto jobs = all_jobs();
  REQUIRE(jobs.size() == 500);
  for (const auto& job : jobs) {
    CHECK(job.at("status") == "completed");
    ++ran_on[job.at("node").get<std::string>()];
  }
  CHECK(ran_on.size() == 2);
  CHECK(ran_on["w1"] > 0);
  CHECK(ran_on["w2"] > 0);
  CHECK(ran_on["w1"] + ran_on["w2"] == 500);
}

TEST_CASE_METHOD(cluster_fixture,
                 "a worker killed mid-run loses no job and its attempts are "
                 "re-queued naming it",
                 "[cluster]") {
  start_coordinator({"--slots", "0"});
  start_worker("w1");
  start_worker("w2");
  auto ids = submit_many("sleep", R"({"ms": 100})", 120);
  await_running_on("w1");
  workers.at("w1")->stop(SIGKILL);
  wait_all(ids);
  size_t requeued = 0;
  for (const auto& job : all_jobs()) {
    auto id = job.at("id").get<std::string>();
    auto history = this->history(id);
    INFO("job " << id << ": " << history.dump());
    CHECK(job.at("status") == "completed");
    // The store records exactly one completion per job.
    CHECK(completions(history) == 1);
    if (mentions(history, "node w1 lost")) {
      ++requeued;
      CHECK(job.at("attempt").get<int>() == 2);
      CHECK(job.at("node") == "w2");
    }
  }
  CHECK(requeued > 0);
  auto workers_now = troupe({"workers", "--json"}).parsed();
  REQUIRE(workers_now.size() == 1);
  CHECK(workers_now[0].at("node") == "w2");
}
