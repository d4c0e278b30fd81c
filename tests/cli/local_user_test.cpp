// Another local user (uid 65534, through setpriv) against the servers of
// the user running the tests: it can neither read nor change anything, and
// its own coordinator cannot spawn into their bare node. Needs root to
// change user; skipped with a warning otherwise.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "tests/cli/cli_process.hpp"

using namespace troupe::cli_test;

namespace {

/// Runs commands as uid/gid 65534 with a home of its own.
struct other_user {
  scratch_dir home;
  std::vector<std::string> wrapper;

  other_user() {
    ::chmod(home.path.c_str(), 0777);
    wrapper = {"/usr/bin/setpriv",
               "--reuid",
               "65534",
               "--regid",
               "65534",
               "--clear-groups",
               "/usr/bin/env",
               "HOME=" + home.path.string()};
  }

  run_result run(std::vector<std::string> args) const {
    return run_wrapped_troupe(wrapper, args);
  }
};

bool can_change_user() {
  if (geteuid() == 0)
    return true;
  WARN("skipped: running as another user needs root");
  return false;
}

} // namespace

TEST_CASE_METHOD(cli_fixture,
                 "another local user can neither read nor change the jobs of "
                 "a server of this user",
                 "[cli][security]") {
  if (!can_change_user())
    return;
  start_server();
  auto addr = server->address();
  auto submitted =
      run_troupe({"submit", "--server", addr, "--type", "echo", "--payload",
                  R"({"secret":"payload"})", "--delay", "1h"});
  REQUIRE(submitted.exit_code == 0);
  auto id = submitted.out.substr(0, submitted.out.find('\n'));
  other_user nobody;
  std::vector<std::vector<std::string>> attempts = {
      {"list"},
      {"status", id},
      {"history", id},
      {"cancel", id},
      {"cleanup", "--older-than", "0s"},
      {"pause", "--type", "echo"},
      {"limits", "set", "--type", "echo", "--max-running", "1"},
      {"schedule", "add", "s", "--every", "1m", "--type", "echo"},
      {"submit", "--type", "echo"},
      {"audit"},
      {"list", "--secret-file", dir / "data/client.secret"},
  };
  for (auto args : attempts) {
    args.insert(args.end(), {"--server", addr});
    auto result = nobody.run(args);
    INFO("troupe " << args.front() << ": " << result.err);
    CHECK(result.exit_code == 4);
    CHECK(result.out.find("payload") == std::string::npos);
  }
  auto listed = run_troupe({"list", "--server", addr, "--json"}).parsed();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["id"] == id);
  CHECK(listed[0]["status"] == "scheduled");
  auto controls = run_troupe({"limits", "get", "--server", addr, "--json"});
  CHECK(controls.out.find("echo") == std::string::npos);
}

TEST_CASE("another local user's coordinator cannot spawn an executor into a "
          "bare node of this user",
          "[cli][security]") {
  if (!can_change_user())
    return;
  scratch_dir dir;
  background_process bare{{"node", "--listen", "127.0.0.1:0"}};
  auto bare_port = bare.port_after("127.0.0.1:");
  other_user nobody;
  auto data = nobody.home / "data";
  background_process coordinator{
      {"serve", "--data", data, "--listen", "127.0.0.1:0", "--slots", "0"},
      nobody.wrapper};
  auto port = coordinator.port_after("127.0.0.1:");
  auto spawned = nobody.run({"spawn-executor", "--server",
                             "127.0.0.1:" + std::to_string(port), "--node",
                             "127.0.0.1:" + std::to_string(bare_port)});
  INFO(spawned.err);
  CHECK(spawned.exit_code != 0);
  CHECK(spawned.err.find("secret") != std::string::npos);
  CHECK(coordinator.stop(SIGTERM) == 0);
  CHECK(bare.stop(SIGTERM) == 0);
}
