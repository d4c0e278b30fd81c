// A coordinator restarted under connected workers: they rejoin and every
// acknowledged job completes; attempts cut short are fenced and re-run.
#include <signal.h>

#include <set>

#include <catch2/catch.hpp>

#include "tests/cluster/cluster_fixture.hpp"

using namespace troupe::cluster_test;

TEST_CASE_METHOD(cluster_fixture,
                 "workers rejoin a restarted coordinator and nothing is lost",
                 "[cluster]") {
  start_coordinator({"--slots", "0", "--grace", "0"});
  start_worker("w1");
  start_worker("w2");
  auto ids = submit_many("sleep", R"({"ms": 200})", 40);
  await_running_on("w1");
  auto port = coordinator->port();
  CHECK(coordinator->stop(SIGTERM) == 0);
  // Same port, so the workers find it again; they retry with backoff.
  start_coordinator({"--slots", "0"}, port);
  wait_all(ids);
  std::set<std::string> nodes;
  for (const auto& job : all_jobs()) {
    auto id = job.at("id").get<std::string>();
    CHECK(job.at("status") == "completed");
    CHECK(completions(history(id)) == 1);
    nodes.insert(job.at("node").get<std::string>());
  }
  CHECK(nodes == std::set<std::string>{"w1", "w2"});
}
