// `troupe backup --to DIR` through the real binary: a restored server holds
// exactly the jobs acknowledged before the backup, as they were, and a
// backup never writes into a directory that holds anything.
#include <catch2/catch.hpp>

#include <signal.h>

#include <map>

#include "tests/cli/cli_process.hpp"

using namespace troupe::cli_test;

namespace {

/// The jobs of a `list --json` result by id.
std::map<std::string, json> by_id(const json& jobs) {
  std::map<std::string, json> result;
  for (const auto& job : jobs)
    result[job["id"].get<std::string>()] = job;
  return result;
}

} // namespace

TEST_CASE_METHOD(cli_fixture,
                 "a restored backup holds every job acknowledged before it, "
                 "as it was, and none submitted after it",
                 "[cli][backup]") {
  auto done = submit({"--type", "echo", "--payload", "{\"x\": 1}"});
  auto failed = submit({"--type", "fail", "--retries", "0"});
  REQUIRE(troupe({"wait", done, failed}).exit_code == 1);
  // Nobody handles this type: it stays queued.
  auto queued = submit({"--type", "nobody_takes_this"});
  auto scheduled = submit({"--type", "echo", "--delay", "1h"});
  auto before = by_id(list({"--limit", "1000"}));
  REQUIRE(before.size() == 4);
  auto target = dir / "backup";
  auto backup = troupe({"backup", "--to", target, "--json"});
  INFO("stderr: " << backup.err);
  REQUIRE(backup.exit_code == 0);
  auto report = backup.parsed();
  CHECK(report["path"] == target);
  CHECK(report["jobs"] == 4);
  CHECK(report["bytes"].get<uint64_t>() > 0);
  auto after = submit({"--type", "nobody_takes_this"});
  auto again = troupe({"backup", "--to", target});
  CHECK(again.exit_code == 2);
  CHECK_THAT(again.err, Catch::Contains("--to: backup directory") &&
                            Catch::Contains("not empty"));
  REQUIRE(server->stop(SIGTERM) == 0);
  server.reset();
  server_process restored{target, {"--slots", "0"}};
  auto listed = run_troupe(
      {"list", "--json", "--limit", "1000", "--server", restored.address()});
  REQUIRE(listed.exit_code == 0);
  auto now = by_id(listed.parsed());
  CHECK(now.count(after) == 0);
  REQUIRE(now.size() == before.size());
  for (const auto& id : {done, failed, queued, scheduled}) {
    INFO("job " << id);
    CHECK(now.at(id) == before.at(id));
  }
  CHECK(now.at(queued)["status"] == "queued");
  CHECK(now.at(done)["status"] == "completed");
}

TEST_CASE_METHOD(cli_fixture,
                 "backup refuses a relative or missing --to before it "
                 "writes anything",
                 "[cli][backup]") {
  auto relative = troupe({"backup", "--to", "some/dir"});
  CHECK(relative.exit_code == 2);
  CHECK_THAT(relative.err, Catch::Contains("--to: must be an absolute path") &&
                               Catch::Contains("server's machine"));
  CHECK_FALSE(std::filesystem::exists("some/dir"));
  auto missing = troupe({"backup"});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("--to"));
}
