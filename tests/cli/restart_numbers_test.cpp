// Numbers and views that must stay right across a restart and a purge:
// retry after a restart, queue depth and counts, and the job views.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "tests/cli/cli_process.hpp"

using namespace troupe::cli_test;

namespace {

// A shell job that fails on its first attempt and succeeds afterwards.
json fails_once(const std::string& flag) {
  return json{{"cmd", "test -f " + flag + " || { touch " + flag +
                          "; echo first >&2; exit 1; }"}};
}

json stats(const cli_fixture& f) {
  auto result = f.troupe({"stats", "--json"});
  INFO("stderr: " << result.err);
  REQUIRE(result.exit_code == 0);
  return result.parsed();
}

} // namespace

TEST_CASE_METHOD(shell_fixture,
                 "a retry after a restart finds the completed dependencies",
                 "[cli][restart]") {
  submit({"--type", "noop", "--id", "dep", "--wait"});
  auto failed = troupe({"submit", "--type", "shell", "--id", "child", "--after",
                        "dep", "--retries", "0", "--payload",
                        fails_once(dir / "flag").dump(), "--wait"});
  REQUIRE(failed.exit_code == 1);
  start_server();
  auto retried = troupe({"retry", "child"});
  INFO(retried.out << retried.err);
  CHECK(retried.exit_code == 0);
  CHECK(troupe({"wait", "child"}).exit_code == 0);
  auto job = status("child");
  CHECK(job["status"] == "completed");
  CHECK(job["attempt"] == 2);
}

TEST_CASE_METHOD(cli_fixture,
                 "stats count recovered queued jobs and go down after a purge",
                 "[cli][restart]") {
  for (int i = 0; i < 3; ++i)
    submit({"--type", "nobody-handles-this", "--priority", "2"});
  submit({"--type", "noop", "--wait"});
  submit({"--type", "noop", "--wait"});
  start_server();
  auto seeded = stats(*this);
  CHECK(seeded["by_status"]["queued"] == 3);
  CHECK(seeded["depth_by_priority"]["2"] == 3);
  CHECK(seeded["depth_by_type"]["nobody-handles-this"] == 3);
  CHECK(seeded["by_status"]["completed"] == 2);
  auto purged = troupe({"cleanup", "--older-than", "0s"});
  INFO(purged.err);
  REQUIRE(purged.exit_code == 0);
  // The recount follows the purge in persistence's mailbox, so the next
  // read sees it.
  auto after = stats(*this);
  CHECK(after["by_status"]["completed"] == 0);
  CHECK(after["by_status"]["queued"] == 3);
  CHECK(after["depth_by_type"]["nobody-handles-this"] == 3);
}

TEST_CASE_METHOD(shell_fixture,
                 "views show the current attempt only, with no stale run_at, "
                 "run time or progress message",
                 "[cli][views]") {
  // A manual retry is one attempt beyond the spec's retries.
  auto failed = troupe(
      {"submit", "--type", "fail", "--id", "dead", "--retries", "0", "--wait"});
  REQUIRE(failed.exit_code == 1);
  REQUIRE(troupe({"retry", "dead"}).exit_code == 0);
  troupe({"wait", "dead"});
  auto details = troupe({"status", "dead"});
  CHECK_THAT(details.out, Catch::Contains("2 of 2"));
  CHECK_THAT(troupe({"list"}).out, Catch::Contains("2/2"));
  // Between attempts nothing runs: no run time, no start.
  auto waiting =
      submit({"--type", "fail", "--retries", "1", "--backoff-ms", "600000"});
  // No event says "attempt 1 failed" to a client: poll the server.
  auto job = status(waiting);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (job["status"] != "scheduled" &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    job = status(waiting);
  }
  REQUIRE(job["status"] == "scheduled");
  CHECK(job["started"].is_null());
  auto row = troupe({"list", "--type", "fail"}).out;
  auto line = row.substr(row.find(waiting));
  line = line.substr(0, line.find('\n'));
  CHECK_THAT(line, Catch::Contains(" - "));
  // A completed job shows neither the backoff it waited for nor the last
  // progress message of its handler.
  auto flaky =
      submit({"--type", "shell", "--retries", "1", "--backoff-ms", "100",
              "--payload", fails_once(dir / "f2").dump(), "--wait"});
  job = status(flaky);
  CHECK(job["status"] == "completed");
  CHECK(job["run_at"].is_null());
  CHECK(job["progress_message"] == "");
  CHECK_THAT(troupe({"status", flaky}).out, !Catch::Contains("running as pid"));
}
