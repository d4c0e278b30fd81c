// Where jobs run: only on executors that handle their type, in bare nodes
// after a remote spawn, and not at all until some executor takes the type.
#include <signal.h>

#include <catch2/catch.hpp>

#include "tests/cluster/cluster_fixture.hpp"

using namespace troupe::cluster_test;

TEST_CASE_METHOD(cluster_fixture,
                 "an executor spawned into a bare node runs jobs there",
                 "[cluster]") {
  start_coordinator({"--slots", "0"});
  background_process bare{{"node", "--listen", "127.0.0.1:0", "--name", "b1"}};
  auto port = bare.port_after("127.0.0.1:");
  auto node = "127.0.0.1:" + std::to_string(port);
  auto spawned = troupe({"spawn-executor", "--node", node, "--slots", "2"});
  CHECK(spawned.out.find("b1/executor-1") != std::string::npos);
  auto ids = submit_many("echo", R"({"from": "test"})", 20);
  wait_all(ids);
  for (const auto& job : all_jobs()) {
    CHECK(job.at("status") == "completed");
    CHECK(job.at("node") == "b1");
    CHECK(job.at("executor") == "b1/executor-1");
  }
  SECTION("a type the node lacks is refused, naming it") {
    auto refused =
        troupe({"spawn-executor", "--node", node, "--types", "nosuch"}, false);
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find("nosuch") != std::string::npos);
  }
  SECTION("a node that does not answer is reported as unreachable") {
    bare.stop(SIGKILL);
    auto refused = troupe({"spawn-executor", "--node", node}, false);
    CHECK(refused.exit_code == 3);
    CHECK(refused.err.find(node) != std::string::npos);
  }
}

TEST_CASE_METHOD(cluster_fixture,
                 "a job type handled by one worker runs only there",
                 "[cluster]") {
  start_coordinator({"--slots", "0"});
  start_worker("sleepers", {"--types", "sleep"});
  start_worker("echoes", {"--types", "echo,noop"});
  auto sleeps = submit_many("sleep", R"({"ms": 5})", 30);
  auto echoes = submit_many("echo", R"({"n": 1})", 30);
  wait_all(sleeps);
  wait_all(echoes);
  for (const auto& job : all_jobs()) {
    auto expected = job.at("type") == "sleep" ? "sleepers" : "echoes";
    CHECK(job.at("node") == expected);
  }
}

TEST_CASE_METHOD(cluster_fixture,
                 "a job no executor handles stays queued until a worker "
                 "for its type joins",
                 "[cluster]") {
  start_coordinator({"--slots", "0"});
  start_worker("noop-only", {"--types", "noop"});
  auto echo = submit_many("echo", R"({"n": 1})", 1).front();
  // A later job of a handled type completing shows dispatch went past it.
  wait_all(submit_many("noop", "{}", 1));
  auto before = troupe({"status", echo, "--json"}).parsed();
  CHECK(before.at("status") == "queued");
  start_worker("echo-worker", {"--types", "echo"});
  wait_all({echo});
  auto after = troupe({"status", echo, "--json"}).parsed();
  CHECK(after.at("node") == "echo-worker");
  CHECK(after.at("attempt") == 1);
}

TEST_CASE_METHOD(cluster_fixture,
                 "the example service joins, submits from its actor and "
                 "follows its jobs to the end",
                 "[cluster]") {
  start_coordinator({"--slots", "0"});
  auto result = troupe::cli_test::run_program(
      TROUPE_EXAMPLE_SERVICE,
      {"--join", coordinator->address(), "--reports", "4"});
  INFO("stderr: " << result.err);
  REQUIRE(result.exit_code == 0);
  auto jobs = all_jobs();
  REQUIRE(jobs.size() == 4);
  for (const auto& job : jobs) {
    CHECK(job.at("status") == "completed");
    CHECK(job.at("node") == "report-service");
    CHECK(job.at("owner") == "report-service");
    auto id = job.at("id").get<std::string>();
    CHECK(result.out.find(id + " completed") != std::string::npos);
    CHECK(result.out.find("submitted " + id) != std::string::npos);
  }
}
