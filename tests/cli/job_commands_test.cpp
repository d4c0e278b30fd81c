// The job commands through the real binary: list with every filter and
// sort, cancel, retry, history, stats, workers and cleanup.
#include <catch2/catch.hpp>

#include <algorithm>

#include "tests/cli/cli_process.hpp"

using namespace troupe::cli_test;

namespace {

std::vector<std::string> field_of(const json& jobs, const char* name) {
  std::vector<std::string> result;
  for (const auto& job : jobs)
    result.push_back(job[name].dump());
  return result;
}

} // namespace

TEST_CASE_METHOD(cli_fixture, "list filters by status, type, owner and tag",
                 "[cli][list]") {
  auto a = submit({"--type", "echo", "--owner", "alice", "--tag", "red"});
  auto b = submit(
      {"--type", "echo", "--owner", "bob", "--tag", "blue", "--tag", "red"});
  auto c = submit({"--type", "noop", "--owner", "alice"});
  auto d = submit({"--type", "fail", "--retries", "0", "--owner", "bob"});
  REQUIRE(troupe({"wait", a, b, c, d}).exit_code == 1);
  CHECK(ids_of(list()) == std::vector<std::string>{a, b, c, d});
  CHECK(ids_of(list({"--status", "failed"})) == std::vector<std::string>{d});
  CHECK(ids_of(list({"--status", "completed"})) ==
        std::vector<std::string>{a, b, c});
  CHECK(ids_of(list({"--type", "echo"})) == std::vector<std::string>{a, b});
  CHECK(ids_of(list({"--owner", "alice"})) == std::vector<std::string>{a, c});
  CHECK(ids_of(list({"--tag", "red"})) == std::vector<std::string>{a, b});
  CHECK(ids_of(list({"--owner", "bob", "--tag", "red"})) ==
        std::vector<std::string>{b});
  CHECK(list({"--type", "shell"}).empty());
  auto table = troupe({"list", "--owner", "bob"});
  CHECK(table.exit_code == 0);
  CHECK_THAT(table.out, Catch::StartsWith("ID "));
  CHECK_THAT(table.out, Catch::Contains(b));
  CHECK_THAT(table.out, Catch::Contains(d));
  CHECK_THAT(table.out, !Catch::Contains(a));
}

TEST_CASE_METHOD(cli_fixture, "list sorts and pages", "[cli][list]") {
  std::vector<std::string> ids;
  for (auto priority : {"7", "2", "9", "4"})
    ids.push_back(submit({"--type", "noop", "--priority", priority}));
  REQUIRE(troupe({"wait", ids[0], ids[1], ids[2], ids[3]}).exit_code == 0);
  CHECK(ids_of(list({"--sort", "created"})) == ids);
  auto reversed = ids;
  std::reverse(reversed.begin(), reversed.end());
  CHECK(ids_of(list({"--sort", "created", "--desc"})) == reversed);
  CHECK(field_of(list({"--sort", "priority"}), "priority") ==
        std::vector<std::string>{"2", "4", "7", "9"});
  CHECK(field_of(list({"--sort", "priority", "--desc"}), "priority") ==
        std::vector<std::string>{"9", "7", "4", "2"});
  auto updated = field_of(list({"--sort", "updated"}), "updated");
  CHECK(std::is_sorted(updated.begin(), updated.end()));
  auto updated_desc =
      field_of(list({"--sort", "updated", "--desc"}), "updated");
  CHECK(std::is_sorted(updated_desc.rbegin(), updated_desc.rend()));
  CHECK(ids_of(list({"--limit", "2", "--offset", "1"})) ==
        std::vector<std::string>{ids[1], ids[2]});
  CHECK(list({"--offset", "4"}).empty());
}

TEST_CASE_METHOD(cli_fixture, "cancel and retry keep the whole history",
                 "[cli]") {
  auto id = submit({"--type", "sleep", "--payload", R"({"ms": 30000})"});
  auto cancelled = troupe({"cancel", id});
  CHECK(cancelled.exit_code == 0);
  CHECK_THAT(cancelled.out, Catch::Contains("cancelled"));
  CHECK(status(id)["status"] == "cancelled");
  auto again = troupe({"cancel", id});
  CHECK(again.exit_code == 2);
  CHECK_THAT(again.err, Catch::Contains("already cancelled"));
  auto retried = troupe({"retry", id, "--json"});
  CHECK(retried.exit_code == 0);
  CHECK(retried.parsed()["attempt"] == 2);
  CHECK(troupe({"cancel", id}).exit_code == 0);
  auto history = troupe({"history", id, "--json"});
  REQUIRE(history.exit_code == 0);
  auto entries = history.parsed();
  std::vector<std::string> to;
  for (const auto& entry : entries)
    to.push_back(entry["to"]);
  CHECK(std::count(to.begin(), to.end(), "cancelled") == 2);
  CHECK(entries.back()["attempt"] == 2);
  bool retried_entry = false;
  for (const auto& entry : entries)
    retried_entry = retried_entry || entry["message"].get<std::string>().find(
                                         "retried") != std::string::npos;
  CHECK(retried_entry);
  auto table = troupe({"history", id});
  CHECK(table.exit_code == 0);
  CHECK_THAT(table.out, Catch::StartsWith("SEQ "));
  CHECK(troupe({"retry", submit({"--type", "noop", "--wait"})}).exit_code ==
        2); // Completed jobs cannot be retried.
}

TEST_CASE_METHOD(cli_fixture, "retry runs a failed job again", "[cli]") {
  auto id = submit({"--type", "fail", "--retries", "0"});
  CHECK(troupe({"wait", id}).exit_code == 1);
  CHECK(status(id)["status"] == "failed");
  CHECK(troupe({"retry", id}).exit_code == 0);
  CHECK(troupe({"wait", id}).exit_code == 1);
  auto job = status(id);
  CHECK(job["status"] == "failed");
  CHECK(job["attempt"] == 2);
}

TEST_CASE_METHOD(cli_fixture, "stats and workers describe the server",
                 "[cli]") {
  auto a = submit({"--type", "noop"});
  auto b = submit({"--type", "fail", "--retries", "0"});
  REQUIRE(troupe({"wait", a, b}).exit_code == 1);
  auto stats = troupe({"stats", "--json"});
  REQUIRE(stats.exit_code == 0);
  auto s = stats.parsed();
  CHECK(s["by_status"]["completed"] == 1);
  CHECK(s["by_status"]["failed"] == 1);
  CHECK(s["depth_by_priority"].size() == 10);
  CHECK(s["run_ms"].contains("p99"));
  CHECK_THAT(troupe({"stats"}).out, Catch::Contains("throughput"));
  auto workers = troupe({"workers", "--json"});
  REQUIRE(workers.exit_code == 0);
  auto w = workers.parsed();
  REQUIRE(w.size() == 1);
  CHECK(w[0]["slots"] == 4);
  CHECK(w[0]["types"].size() == 4); // shell is off by default
  CHECK(w[0]["heartbeat_age_s"].get<double>() < 30);
  CHECK_THAT(troupe({"workers"}).out, Catch::Contains("EXECUTOR"));
}

TEST_CASE_METHOD(cli_fixture,
                 "cleanup purges terminal jobs finished before now - DURATION",
                 "[cli]") {
  auto done = submit({"--type", "noop", "--wait"});
  auto live = submit({"--type", "sleep", "--payload", R"({"ms": 30000})"});
  auto keep = troupe({"cleanup", "--older-than", "1h", "--json"});
  REQUIRE(keep.exit_code == 0);
  CHECK(keep.parsed()["purged"] == 0);
  CHECK(list().size() == 2);
  auto purge = troupe({"cleanup", "--older-than", "0s"});
  REQUIRE(purge.exit_code == 0);
  CHECK_THAT(purge.out, Catch::StartsWith("purged 1 "));
  CHECK(ids_of(list()) == std::vector<std::string>{live});
  CHECK(troupe({"history", done}).exit_code == 2);
  CHECK(troupe({"cancel", live}).exit_code == 0);
}
