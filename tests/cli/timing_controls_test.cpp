// Scheduled, periodic and unique jobs through the real command line: a job
// scheduled ahead survives a restart and runs once; an interval schedule
// fires jobs that run; duplicate unique keys return the same id.
#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <ctime>

#include "tests/cli/cli_process.hpp"

using namespace troupe::cli_test;

namespace {

/// RFC 3339 UTC of now + `ahead`, in whole seconds.
std::string time_ahead(std::chrono::seconds ahead) {
  auto t = std::chrono::system_clock::to_time_t(
      std::chrono::system_clock::now() + ahead);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

} // namespace

TEST_CASE_METHOD(cli_fixture,
                 "a job scheduled ahead survives a restart and runs once",
                 "[cli][scheduled]") {
  auto id =
      submit({"--type", "noop", "--at", time_ahead(std::chrono::seconds(3))});
  auto before = status(id);
  CHECK(before["status"] == "scheduled");
  REQUIRE(server->stop(SIGTERM) == 0);
  start_server();
  CHECK(status(id)["status"] == "scheduled");
  auto waited = troupe({"wait", id, "--timeout", "30"});
  INFO(waited.out << waited.err);
  REQUIRE(waited.exit_code == 0);
  auto job = status(id);
  CHECK(job["status"] == "completed");
  CHECK(job["attempt"] == 1);
  // Times have the same RFC 3339 form, so they compare as strings.
  CHECK(job["started"].get<std::string>() >= job["run_at"].get<std::string>());
  auto history = troupe({"history", id, "--json"}).parsed();
  size_t starts = 0;
  for (const auto& entry : history)
    starts += entry["to"] == "running" ? 1 : 0;
  CHECK(starts == 1);
}

TEST_CASE_METHOD(cli_fixture, "submit checks its start time: --at and --delay",
                 "[cli][scheduled]") {
  auto bad = troupe({"submit", "--type", "noop", "--at", "tomorrow"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("--at: must be an RFC 3339 time"));
  auto both = troupe({"submit", "--type", "noop", "--at",
                      "2030-01-01T00:00:00+01:00", "--delay", "1s"});
  CHECK(both.exit_code == 2);
  CHECK_THAT(both.err,
             Catch::Contains("--at: cannot be combined with --delay"));
  auto id = submit({"--type", "noop", "--at", "2030-01-01T00:00:00+01:00"});
  CHECK(status(id)["run_at"] == "2029-12-31T23:00:00.000Z");
}

TEST_CASE_METHOD(cli_fixture,
                 "an interval schedule fires jobs that run, list and remove "
                 "work",
                 "[cli][schedule]") {
  auto added = troupe(
      {"schedule", "add", "tick", "--every", "1s", "--type", "noop", "--json"});
  INFO(added.err);
  REQUIRE(added.exit_code == 0);
  CHECK(added.parsed()["next_firing"].is_string());
  // A job that runs 2.5 s gives the schedule time to fire at least twice.
  submit({"--type", "sleep", "--payload", "{\"ms\": 2500}", "--wait"});
  auto fired = list({"--tag", "schedule:tick"});
  REQUIRE(fired.size() >= 2);
  std::vector<std::string> args{"wait"};
  for (const auto& id : ids_of(fired)) {
    CHECK(id.rfind("tick:", 0) == 0);
    args.push_back(id);
  }
  CHECK(troupe(args).exit_code == 0);
  auto listed = troupe({"schedule", "list", "--json"}).parsed();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["name"] == "tick");
  CHECK(listed[0]["every_ms"] == 1000);
  CHECK(listed[0]["missed"] == "skip");
  CHECK(listed[0]["last_firing"].is_string());
  CHECK(listed[0]["next_firing"].get<std::string>() >
        listed[0]["last_firing"].get<std::string>());
  auto text = troupe({"schedule", "list"});
  CHECK_THAT(text.out, Catch::Contains("every 1.0 s"));
  CHECK(troupe({"schedule", "remove", "tick"}).exit_code == 0);
  CHECK(troupe({"schedule", "list", "--json"}).parsed().empty());
  auto again = troupe({"schedule", "remove", "tick"});
  CHECK(again.exit_code == 2);
  CHECK_THAT(again.err, Catch::Contains("no schedule tick"));
}

TEST_CASE_METHOD(cli_fixture, "bad schedules exit 2 naming the field",
                 "[cli][schedule]") {
  auto minute = troupe(
      {"schedule", "add", "s", "--cron", "61 * * * *", "--type", "noop"});
  CHECK(minute.exit_code == 2);
  CHECK_THAT(minute.err, Catch::Contains("--cron: minute: 61 is out of range"));
  auto month = troupe(
      {"schedule", "add", "s", "--cron", "0 0 1 FOO *", "--type", "noop"});
  CHECK(month.exit_code == 2);
  CHECK_THAT(month.err, Catch::Contains("--cron: month:"));
  auto fields =
      troupe({"schedule", "add", "s", "--cron", "* * *", "--type", "noop"});
  CHECK(fields.exit_code == 2);
  CHECK_THAT(fields.err, Catch::Contains("must have 5 fields"));
  auto missed = troupe({"schedule", "add", "s", "--every", "1m", "--type",
                        "noop", "--missed", "later"});
  CHECK(missed.exit_code == 2);
  CHECK_THAT(missed.err, Catch::Contains("--missed"));
  CHECK(troupe({"schedule", "list", "--json"}).parsed().empty());
}

TEST_CASE_METHOD(cli_fixture, "a duplicate unique key returns the same id",
                 "[cli][unique]") {
  auto first = submit({"--type", "sleep", "--payload", "{\"ms\": 1000}",
                       "--unique", "report-42"});
  CHECK(submit({"--type", "noop", "--unique", "report-42"}) == first);
  CHECK(submit({"--type", "noop", "--unique-key", "report-42"}) == first);
  // With a window, the ended job is still returned.
  auto windowed = submit(
      {"--type", "noop", "--unique", "daily", "--unique-for", "1h", "--wait"});
  CHECK(status(windowed)["unique_for_s"] == 3600);
  CHECK(submit({"--type", "noop", "--unique", "daily"}) == windowed);
  auto bad = troupe({"submit", "--type", "noop", "--unique-for", "1h"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("--unique-for: needs --unique KEY"));
}

TEST_CASE_METHOD(cli_fixture, "a result TTL is kept on the job", "[cli][ttl]") {
  auto id = submit({"--type", "noop", "--result-ttl", "10m", "--wait"});
  CHECK(status(id)["result_ttl_s"] == 600);
  // Cleanup honours the TTL only once it ran out: nothing to purge yet.
  CHECK(troupe({"cleanup", "--older-than", "7d"}).exit_code == 0);
  CHECK(status(id)["status"] == "completed");
}
