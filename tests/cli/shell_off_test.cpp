// The shell job type is off unless the server's config turns it on: refused
// at submission by a coordinator where it is off, never run by a worker or
// bare node where it is off, and the job_types key checked entry by entry.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>

#include "tests/cli/cli_process.hpp"

using namespace troupe::cli_test;

namespace {

const std::string shell_off =
    "type: the shell job type is off on this server (enable it with "
    "\"job_types\": {\"shell\": true} in the server's config)";

bool has_type(const json& executor, const std::string& type) {
  const auto& types = executor.at("types");
  return std::find(types.begin(), types.end(), type) != types.end();
}

json workers(const cli_fixture& f) {
  auto result = f.troupe({"workers", "--json"});
  INFO("stderr: " << result.err);
  REQUIRE(result.exit_code == 0);
  return result.parsed();
}

// The executors of node `node` in the worker table. The table fills from
// heartbeats, which no event announces: polled, with a generous deadline.
json executors_of(const cli_fixture& f, const std::string& node) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  json found = json::array();
  while (found.empty() && std::chrono::steady_clock::now() < deadline)
    for (const auto& executor : workers(f))
      if (executor.at("node") == node)
        found.push_back(executor);
  return found;
}

} // namespace

TEST_CASE_METHOD(cli_fixture,
                 "a server refuses shell jobs unless its config enables them",
                 "[cli][shell]") {
  auto refused = troupe({"submit", "--type", "shell", "--payload",
                         R"({"cmd": "touch )" + (dir / "ran") + R"("})"});
  INFO("stderr: " << refused.err);
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Catch::Contains("troupe: " + shell_off));
  // In a batch the refusal names the entry, and nothing of it is stored.
  auto batch = dir / "jobs.jsonl";
  std::ofstream{batch} << R"({"type": "noop"})" << '\n'
                       << R"({"type": "shell", "payload": {"cmd": "true"}})"
                       << '\n';
  auto batched = troupe({"submit", "--batch", batch});
  CHECK(batched.exit_code == 2);
  CHECK_THAT(batched.err, Catch::Contains("jobs[1]." + shell_off));
  CHECK(list().empty());
  auto executors = executors_of(*this, "local");
  REQUIRE(executors.size() == 1);
  CHECK_FALSE(has_type(executors[0], "shell"));
  CHECK(has_type(executors[0], "echo"));
  // Enabled by the config, the same job runs.
  server_args = shell_config_args(dir);
  start_server();
  CHECK(has_type(executors_of(*this, "local").at(0), "shell"));
  auto id = submit(
      {"--type", "shell", "--payload", R"({"cmd": "echo on"})", "--wait"});
  CHECK(status(id)["result"]["stdout_tail"] == "on\n");
}

TEST_CASE_METHOD(shell_fixture,
                 "a worker with shell off takes no shell job from a "
                 "coordinator that accepts them",
                 "[cli][shell][cluster]") {
  start_server({"--slots", "0"});
  background_process plain{
      {"worker", "--join", server->address(), "--name", "plain"}};
  REQUIRE_THAT(plain.banner(), Catch::Contains("joined"));
  auto shell_job =
      submit({"--type", "shell", "--payload", R"({"cmd": "echo ran"})"});
  // The worker serves the jobs it has handlers for, after the shell job.
  submit({"--type", "echo", "--wait"});
  CHECK(status(shell_job)["status"] == "queued");
  auto executors = executors_of(*this, "plain");
  REQUIRE(executors.size() == 1);
  CHECK_FALSE(has_type(executors[0], "shell"));
  // A worker whose config turns shell on runs it.
  auto config = shell_config_args(dir);
  background_process with_shell{{"worker", "--join", server->address(),
                                 "--name", "with-shell", config[0], config[1]}};
  REQUIRE_THAT(with_shell.banner(), Catch::Contains("joined"));
  CHECK(troupe({"wait", shell_job, "--timeout", "60"}).exit_code == 0);
  CHECK(status(shell_job)["node"] == "with-shell");
}

TEST_CASE_METHOD(shell_fixture,
                 "a bare node with shell off gives a spawned executor no "
                 "shell type",
                 "[cli][shell][cluster]") {
  background_process bare{
      {"node", "--listen", "127.0.0.1:0", "--name", "bare1"}};
  auto node = "127.0.0.1:" + std::to_string(bare.port_after("127.0.0.1:"));
  auto refused = troupe({"spawn-executor", "--node", node, "--types", "shell"});
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err,
             Catch::Contains("types: this node has no handler for type shell"));
  auto spawned = troupe({"spawn-executor", "--node", node, "--json"});
  INFO("stderr: " << spawned.err);
  REQUIRE(spawned.exit_code == 0);
  auto name = spawned.parsed().at("executor").get<std::string>();
  auto executors = executors_of(*this, "bare1");
  auto spawned_one =
      std::find_if(executors.begin(), executors.end(),
                   [&](const json& x) { return x.at("name") == name; });
  REQUIRE(spawned_one != executors.end());
  CHECK_FALSE(has_type(*spawned_one, "shell"));
  CHECK(has_type(*spawned_one, "echo"));
}

TEST_CASE("job_types config errors exit 2 naming the key", "[cli][shell]") {
  scratch_dir dir;
  struct bad_key {
    std::string config;
    std::string message;
  };
  for (const auto& bad :
       {bad_key{R"({"job_types": {"bash": true}})",
                "\"job_types.bash\" is not a job type that can be turned "
                "on or off (known: shell)"},
        bad_key{R"({"job_types": {"shell": "yes"}})",
                "\"job_types.shell\" must be true or false, got \"yes\""},
        bad_key{R"({"job_types": {"shell": 1}})",
                "\"job_types.shell\" must be true or false, got 1"},
        bad_key{R"({"job_types": ["shell"]})",
                "\"job_types\" must be an object"}}) {
    auto path = dir / "types.json";
    std::ofstream{path} << bad.config;
    INFO("config: " << bad.config);
    for (const auto& command :
         {std::vector<std::string>{"serve", "--data", dir / "data"},
          std::vector<std::string>{"worker", "--join", "127.0.0.1:1"},
          std::vector<std::string>{"node"}}) {
      auto args = command;
      args.insert(args.end(), {"--config", path});
      auto result = run_troupe(args);
      INFO(command.front() << " stderr: " << result.err);
      CHECK(result.exit_code == 2);
      CHECK_THAT(result.err, Catch::Contains(bad.message));
    }
  }
}
