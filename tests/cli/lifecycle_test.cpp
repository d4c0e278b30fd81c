// Dead letters retried by filter, progress in status, list and wait, and
// automatic retention cleanup, through a real server.
#include <catch2/catch.hpp>

#include <fstream>

#include "tests/cli/cli_process.hpp"

using namespace troupe::cli_test;

namespace {

std::vector<std::string> statuses_of(const json& history) {
  std::vector<std::string> result;
  for (const auto& entry : history)
    result.push_back(entry.at("to").get<std::string>());
  return result;
}

} // namespace

TEST_CASE_METHOD(shell_fixture,
                 "failed jobs retried by filter complete and keep both "
                 "attempts in their history",
                 "[cli][retry]") {
  auto marker = dir / "ready";
  json payload{{"cmd", "test -e " + marker}};
  std::vector<std::string> flaky;
  for (int i = 0; i < 3; ++i)
    flaky.push_back(submit({"--type", "shell", "--payload", payload.dump(),
                            "--retries", "0", "--tag", "flaky"}));
  auto other = submit({"--type", "fail", "--retries", "0", "--payload",
                       R"({"message": "disk full"})"});
  CHECK(troupe({"wait", flaky[0], flaky[1], flaky[2], other}).exit_code == 1);
  auto dead = troupe({"list", "--status", "failed"});
  REQUIRE(dead.exit_code == 0);
  CHECK_THAT(dead.out, Catch::Contains("LAST ERROR"));
  CHECK_THAT(dead.out, Catch::Contains("disk full"));
  CHECK(troupe({"retry"}).exit_code == 2); // A filter or an id is needed.
  CHECK(troupe({"retry", "--status", "completed"}).exit_code == 2);
  std::ofstream{marker} << "now it works\n";
  auto retried = troupe({"retry", "--tag", "flaky", "--json"});
  INFO("stderr: " << retried.err);
  REQUIRE(retried.exit_code == 0);
  auto answer = retried.parsed();
  CHECK(answer["retried"] == 3);
  CHECK(answer["ids"] == json(flaky));
  CHECK(troupe({"wait", flaky[0], flaky[1], flaky[2]}).exit_code == 0);
  for (const auto& id : flaky) {
    auto history = troupe({"history", id, "--json"}).parsed();
    CHECK(statuses_of(history) ==
          std::vector<std::string>{"queued", "running", "failed", "queued",
                                   "running", "completed"});
    CHECK(history.back()["attempt"] == 2);
    CHECK(status(id)["attempt"] == 2);
  }
  CHECK(status(other)["status"] == "failed");
  auto text = troupe({"retry", "--status", "failed"});
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::StartsWith("retried 1 failed job(s)\n" + other));
}

TEST_CASE_METHOD(cli_fixture,
                 "progress reported by a handler shows in wait, status and "
                 "list",
                 "[cli][progress]") {
  auto waited = troupe(
      {"submit", "--type", "sleep", "--payload", R"({"ms": 1500})", "--wait"});
  REQUIRE(waited.exit_code == 0);
  auto id = waited.out.substr(0, waited.out.find('\n'));
  CHECK_THAT(waited.out, Catch::Contains(id + " running "));
  CHECK_THAT(waited.out, Catch::Contains("% (sleep, attempt 1): slept "));
  // Once the job ended, its handler's last message describes it no more.
  auto job = status(id);
  CHECK(job["progress"] == 1.0);
  CHECK(job["progress_message"] == "");
  auto details = troupe({"status", id});
  CHECK_THAT(details.out, Catch::Contains("progress    100%\n"));
  auto table = troupe({"list"});
  CHECK_THAT(table.out, Catch::Contains("PROGRESS"));
  CHECK_THAT(table.out, Catch::Contains("100%"));
  auto records = troupe({"wait", id, "--json"}).parsed();
  CHECK(records[0]["progress_message"] == "");
}

TEST_CASE_METHOD(cli_fixture,
                 "automatic cleanup purges old terminal jobs and keeps "
                 "unfinished ones",
                 "[cli][retention]") {
  start_server({"--retention", "1s", "--cleanup-every", "200ms"});
  auto done = submit({"--type", "noop", "--wait"});
  auto unfinished =
      submit({"--type", "sleep", "--payload", R"({"ms": 60000})"});
  auto line = server->wait_for_output("retention cleanup purged");
  CHECK_THAT(line, Catch::Contains("purged 1 terminal job(s)"));
  auto gone = troupe({"status", done});
  CHECK(gone.exit_code == 2);
  CHECK(status(unfinished)["status"] != "completed");
  CHECK(troupe({"cancel", unfinished}).exit_code == 0);
}

TEST_CASE("serve rejects bad retention settings with exit 2",
          "[cli][retention]") {
  scratch_dir dir;
  auto result = run_troupe({"serve", "--data", dir / "data", "--listen",
                            "127.0.0.1:0", "--cleanup-every", "5"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("--cleanup-every"));
  auto config = dir / "config.json";
  std::ofstream{config} << R"({"retention": 7})";
  result = run_troupe({"serve", "--data", dir / "data", "--listen",
                       "127.0.0.1:0", "--config", config});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("\"retention\" must be a string"));
}
