// Executors spawned into a bare node: a refused spawn leaves nothing behind
// in the worker table, and an accepted one rejoins a restarted coordinator.
#include <signal.h>

#include <catch2/catch.hpp>

#include "tests/cluster/cluster_fixture.hpp"

using namespace troupe::cluster_test;

namespace {

std::vector<std::string> worker_names(const json& table) {
  std::vector<std::string> names;
  for (const auto& row : table)
    names.push_back(row.at("name").get<std::string>());
  return names;
}

} // namespace

TEST_CASE_METHOD(cluster_fixture,
                 "a spawn the bare node refuses leaves no executor in the "
                 "worker table",
                 "[cluster][spawned]") {
  start_coordinator({"--slots", "0"});
  background_process bare{{"node", "--listen", "127.0.0.1:0", "--name", "b1"}};
  auto node = "127.0.0.1:" + std::to_string(bare.port_after("127.0.0.1:"));
  auto refused =
      troupe({"spawn-executor", "--node", node, "--types", "nosuch"}, false);
  CHECK(refused.exit_code == 2);
  auto spawned = troupe({"spawn-executor", "--node", node, "--name", "b1/ok"});
  // A job through the accepted executor: its heartbeats have been seen,
  // and so would the refused one's have been.
  wait_all(submit_many("echo", "{}", 1));
  auto table = troupe({"workers", "--json"}).parsed();
  INFO("workers: " << table.dump());
  CHECK(worker_names(table) == std::vector<std::string>{"b1/ok"});
}

TEST_CASE_METHOD(cluster_fixture,
                 "an executor spawned into a bare node rejoins a restarted "
                 "coordinator and runs its jobs",
                 "[cluster][spawned]") {
  start_coordinator({"--slots", "0", "--grace", "0"});
  background_process bare{{"node", "--listen", "127.0.0.1:0", "--name", "b1"}};
  auto node = "127.0.0.1:" + std::to_string(bare.port_after("127.0.0.1:"));
  troupe({"spawn-executor", "--node", node, "--name", "b1/spawned"});
  wait_all(submit_many("echo", "{}", 1));
  auto port = coordinator->port();
  CHECK(coordinator->stop(SIGTERM) == 0);
  start_coordinator({"--slots", "0"}, port);
  // Only the spawned executor can run it: the coordinator has no slots.
  auto ids = submit_many("echo", R"({"after": "restart"})", 5);
  wait_all(ids);
  for (const auto& job : all_jobs())
    CHECK(job.at("executor") == "b1/spawned");
}
