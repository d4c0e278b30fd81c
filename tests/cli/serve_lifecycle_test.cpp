// The server's life: SIGTERM mid-run and a restart lose nothing, the config
// file and its precedence, and start-up errors.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <future>

#include "tests/cli/cli_process.hpp"

using namespace troupe::cli_test;

namespace {

run_result call(const server_process& server, std::vector<std::string> args) {
  args.push_back("--server");
  args.push_back(server.address());
  return run_troupe(args);
}

std::string submit_sleep(const server_process& server, int ms) {
  auto result = call(server, {"submit", "--type", "sleep", "--payload",
                              "{\"ms\": " + std::to_string(ms) + "}"});
  REQUIRE(result.exit_code == 0);
  return result.out.substr(0, result.out.find('\n'));
}

/// A loopback port that accepts connections and never says a word: a peer
/// that keeps whoever dials it waiting.
struct silent_listener {
  int fd = -1;
  uint16_t port = 0;

  silent_listener() {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
    REQUIRE(listen(fd, 4) == 0);
    socklen_t len = sizeof(addr);
    REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port = ntohs(addr.sin_port);
  }

  ~silent_listener() { close(fd); }

  /// Blocks until someone connects (false after `timeout`).
  bool await_caller(std::chrono::milliseconds timeout) const {
    pollfd ready{fd, POLLIN, 0};
    return poll(&ready, 1, static_cast<int>(timeout.count())) == 1;
  }
};

} // namespace

TEST_CASE("a request pending when the server dies fails at once, not at its "
          "timeout",
          "[cli][serve]") {
  scratch_dir dir;
  server_process server{dir / "data", {"--slots", "0"}};
  silent_listener node;
  // The coordinator dials the node and waits up to a minute for an
  // executor that never comes: the client's request stays pending.
  auto pending = std::async(std::launch::async, [&] {
    return call(server, {"spawn-executor", "--node",
                         "127.0.0.1:" + std::to_string(node.port)});
  });
  REQUIRE(node.await_caller(std::chrono::seconds(60)));
  server.stop(SIGKILL);
  // Far below the 90 s the client would otherwise wait.
  REQUIRE(pending.wait_for(std::chrono::seconds(30)) ==
          std::future_status::ready);
  auto failed = pending.get();
  CHECK(failed.exit_code == 3);
  CHECK_THAT(failed.err, Catch::Contains("lost the troupe server"));
}

TEST_CASE("SIGTERM during a run stops cleanly and a restart completes "
          "every job",
          "[cli][serve]") {
  scratch_dir dir;
  auto server = std::make_unique<server_process>(
      dir / "data", std::vector<std::string>{"--slots", "2", "--grace", "1"});
  auto first = submit_sleep(*server, 200);
  std::vector<std::string> rest;
  for (int i = 0; i < 4; ++i)
    rest.push_back(submit_sleep(*server, 3000));
  REQUIRE(call(*server, {"wait", first}).exit_code == 0);
  // Dispatched together with the first job, it runs far beyond the grace.
  auto interrupted = call(*server, {"status", rest[0], "--json"}).parsed();
  REQUIRE(interrupted["status"] == "running");
  CHECK(server->stop(SIGTERM) == 0);
  server = std::make_unique<server_process>(
      dir / "data", std::vector<std::string>{"--slots", "4"});
  std::vector<std::string> all{"wait", first};
  all.insert(all.end(), rest.begin(), rest.end());
  auto waited = call(*server, all);
  INFO(waited.out << waited.err);
  CHECK(waited.exit_code == 0);
  auto jobs = call(*server, {"list", "--json"}).parsed();
  REQUIRE(jobs.size() == 5);
  for (const auto& job : jobs)
    CHECK(job["status"] == "completed");
  auto resumed = call(*server, {"status", rest[0], "--json"}).parsed();
  CHECK(resumed["attempt"] == 2);
  auto history = call(*server, {"history", rest[0]});
  CHECK_THAT(history.out, Catch::Contains("recovered: attempt 1 was running"));
}

TEST_CASE("serve reads a config file and flags win over it", "[cli][serve]") {
  scratch_dir dir;
  auto config_path = dir / "troupe.json";
  std::ofstream{config_path} << nlohmann::json{
      {"data", dir / "from-config"},
      {"slots", 2},
      {"durability", "fsync"},
      {"grace", 1}}.dump();
  {
    server_process server{"", {"--config", config_path}};
    CHECK_THAT(server.banner(),
               Catch::EndsWith("(data " + (dir / "from-config") + ")"));
    auto workers = call(server, {"workers", "--json"}).parsed();
    REQUIRE(workers.size() == 1);
    CHECK(workers[0]["slots"] == 2);
  }
  server_process server{dir / "flag-data",
                        {"--config", config_path, "--slots", "3"}};
  CHECK_THAT(server.banner(),
             Catch::EndsWith("(data " + (dir / "flag-data") + ")"));
  CHECK(call(server, {"workers", "--json"}).parsed()[0]["slots"] == 3);
}

TEST_CASE("serve reports bad options and an unusable data directory",
          "[cli][serve]") {
  scratch_dir dir;
  std::ofstream{dir / "bad.json"} << R"({"slots": 2, "colour": "red"})";
  auto unknown_key = run_troupe({"serve", "--config", dir / "bad.json"});
  CHECK(unknown_key.exit_code == 2);
  CHECK_THAT(unknown_key.err, Catch::Contains("\"colour\" is not a known key"));
  auto durability = run_troupe({"serve", "--durability", "paper"});
  CHECK(durability.exit_code == 2);
  CHECK_THAT(durability.err,
             Catch::Contains("--durability: must be one of none, wal, fsync"));
  auto slots = run_troupe({"serve", "--slots", "-1"});
  CHECK(slots.exit_code == 2);
  CHECK_THAT(slots.err, Catch::Contains("--slots: must be between 0 and"));
  auto listen = run_troupe({"serve", "--listen", "localhost"});
  CHECK(listen.exit_code == 2);
  server_process running{dir / "data"};
  auto locked =
      run_troupe({"serve", "--data", dir / "data", "--listen", "127.0.0.1:0"});
  CHECK(locked.exit_code == 3);
  CHECK_THAT(locked.err, Catch::Contains("cannot start"));
}
