// Quotas, rate limits and pauses against a real `troupe serve`: measured
// from the started and finished times the server records for each job.
#include <catch2/catch.hpp>

#include <signal.h>

#include <algorithm>
#include <fstream>

#include "apps/troupe/json_codec.hpp"
#include "tests/cli/cli_process.hpp"

using namespace troupe::cli_test;
using troupe::cli::parse_rfc3339;

namespace {

int64_t time_of(const json& job, const char* field) {
  auto t = parse_rfc3339(job.at(field).get<std::string>());
  REQUIRE(t);
  return *t;
}

/// The most jobs whose [started, finished] intervals overlap at once; an end
/// at the same millisecond as a start counts first.
int max_running(const json& jobs) {
  std::vector<std::pair<int64_t, int>> events;
  for (const auto& job : jobs) {
    events.emplace_back(time_of(job, "started"), +1);
    events.emplace_back(time_of(job, "finished"), -1);
  }
  std::sort(events.begin(), events.end());
  int now = 0, most = 0;
  for (const auto& [t, delta] : events)
    most = std::max(most, now += delta);
  return most;
}

void ok(const run_result& result) {
  INFO("stdout: " << result.out << "\nstderr: " << result.err);
  REQUIRE(result.exit_code == 0);
}

json all_of_type(const cli_fixture& f, const std::string& type) {
  return f.list({"--type", type, "--limit", "1000"});
}

} // namespace

TEST_CASE_METHOD(cli_fixture,
                 "a type limited to 2 concurrent never has 3 running",
                 "[cli][limits]") {
  std::ofstream{dir / "serve.json"}
      << R"({"limits": [{"type": "sleep", "max_running": 2}]})";
  start_server({"--slots", "6", "--config", dir / "serve.json"});
  std::vector<std::string> wait{"wait"};
  for (int i = 0; i < 10; ++i)
    wait.push_back(submit({"--type", "sleep", "--payload", R"({"ms": 150})"}));
  ok(troupe(wait));
  auto jobs = all_of_type(*this, "sleep");
  REQUIRE(jobs.size() == 10);
  CHECK(max_running(jobs) == 2);
}

TEST_CASE_METHOD(cli_fixture,
                 "a rate limit of 50/s is held while another type runs "
                 "unthrottled",
                 "[cli][limits]") {
  ok(troupe({"pause", "--type", "noop"}));
  ok(troupe({"pause", "--type", "echo"}));
  ok(troupe({"limits", "set", "--type", "noop", "--rate", "50"}));
  std::vector<std::string> wait{"wait"};
  for (int i = 0; i < 151; ++i)
    wait.push_back(submit({"--type", "noop"}));
  for (int i = 0; i < 20; ++i)
    wait.push_back(submit({"--type", "echo", "--payload", "{}"}));
  auto stats = troupe({"stats", "--json"}).parsed();
  CHECK(stats["paused"] == 171);
  ok(troupe({"resume", "--type", "noop"}));
  ok(troupe({"resume", "--type", "echo"}));
  ok(troupe(wait));
  std::vector<int64_t> starts;
  for (const auto& job : all_of_type(*this, "noop"))
    starts.push_back(time_of(job, "started"));
  REQUIRE(starts.size() == 151);
  std::sort(starts.begin(), starts.end());
  auto span_s = static_cast<double>(starts.back() - starts.front()) / 1e6;
  auto rate = static_cast<double>(starts.size() - 1) / span_s;
  INFO("noop rate " << rate << "/s over " << span_s << " s");
  // The limit is an upper bound; below it, a loaded machine may fall behind,
  // so the lower bound only says the bucket keeps refilling.
  CHECK(rate >= 10);
  CHECK(rate <= 55);
  int64_t echo_done = 0;
  for (const auto& job : all_of_type(*this, "echo"))
    echo_done = std::max(echo_done, time_of(job, "finished"));
  // Unthrottled, every echo job ended while most noop jobs still waited.
  CHECK(echo_done < starts[starts.size() / 2]);
}

TEST_CASE_METHOD(cli_fixture, "limits and pauses survive a server restart",
                 "[cli][limits][pause]") {
  std::ofstream{dir / "serve.json"}
      << R"({"limits": [{"owner": "ana", "rate": 5, "burst": 2}]})";
  start_server({"--config", dir / "serve.json"});
  ok(troupe({"limits", "set", "--type", "sleep", "--max-running", "3"}));
  ok(troupe({"limits", "set", "--type", "sleep", "--rate", "20"}));
  ok(troupe({"pause", "--type", "echo"}));
  auto held = submit({"--type", "echo", "--payload", R"({"x": 1})"});
  ok(troupe({"pause", "--type", "noop"}));
  auto one = submit({"--type", "noop"});
  ok(troupe({"pause", one}));
  ok(troupe({"resume", "--type", "noop"}));
  CHECK(server->stop(SIGTERM) == 0);
  start_server();
  auto got = troupe({"limits", "get", "--json"}).parsed();
  auto expected = json::parse(R"({
    "limits": [
      {"type": "sleep", "max_running": 3, "rate": 20.0, "burst": 0},
      {"owner": "ana", "max_running": 0, "rate": 5.0, "burst": 2}],
    "paused_types": ["echo"]})");
  CHECK(got["paused_types"] == expected["paused_types"]);
  CHECK(got["paused_jobs"] == json::array({one}));
  REQUIRE(got["limits"].size() == 2);
  for (const auto& limit : expected["limits"])
    CHECK(std::count(got["limits"].begin(), got["limits"].end(), limit) == 1);
  auto text = troupe({"limits", "get"});
  CHECK_THAT(text.out, Catch::Contains("paused types: echo"));
  auto held_job = status(held);
  CHECK(held_job["status"] == "queued");
  CHECK(held_job["paused"] == true);
  CHECK_THAT(troupe({"status", one}).out, Catch::Contains("queued (paused)"));
  ok(troupe({"resume", "--type", "echo"}));
  ok(troupe({"resume", one}));
  ok(troupe({"wait", held, one, "--timeout", "30"}));
  ok(troupe({"limits", "clear", "--owner", "ana"}));
  CHECK(troupe({"limits", "get", "--json"}).parsed()["limits"].size() == 1);
}

TEST_CASE_METHOD(cli_fixture, "pause keeps jobs queued and resume runs them",
                 "[cli][pause]") {
  ok(troupe({"pause", "--type", "sleep"}));
  auto a = submit({"--type", "sleep", "--payload", R"({"ms": 10})"});
  auto b = submit({"--type", "noop"});
  ok(troupe({"wait", b, "--timeout", "30"}));
  auto listed = list({"--status", "queued"});
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["id"] == a);
  CHECK(listed[0]["paused"] == true);
  CHECK_THAT(troupe({"list"}).out, Catch::Contains("queued (paused)"));
  auto stats = troupe({"stats"});
  CHECK_THAT(stats.out, Catch::Contains("paused: 1 queued job(s)"));
  auto resumed = troupe({"resume", "--type", "sleep"});
  ok(resumed);
  CHECK_THAT(resumed.out, Catch::Contains("resumed type sleep"));
  ok(troupe({"wait", a, "--timeout", "30"}));
  CHECK(status(a)["paused"] == false);
}

TEST_CASE_METHOD(cli_fixture, "bad limits input exits 2 and changes nothing",
                 "[cli][limits]") {
  ok(troupe({"limits", "set", "--type", "sleep", "--max-running", "2"}));
  auto before = troupe({"limits", "get", "--json"}).parsed();
  std::vector<std::vector<std::string>> bad = {
      {"limits", "set", "--max-running", "2"},
      {"limits", "set", "--type", "sleep", "--owner", "ana", "--rate", "1"},
      {"limits", "set", "--type", "Sleep!", "--rate", "1"},
      {"limits", "set", "--type", "sleep", "--rate", "-1"},
      {"limits", "set", "--type", "sleep", "--rate", "abc"},
      {"limits", "set", "--type", "sleep", "--max-running", "-3"},
      {"limits", "set", "--type", "sleep", "--burst", "2000000"},
      {"limits", "set", "--type", "mail", "--burst", "5"},
      {"limits", "set", "--type", "sleep"},
      {"limits", "clear", "--type", "never-limited"},
      {"limits", "clear"},
      {"limits"},
      {"pause"},
      {"pause", "--type", "noop", "some-id"},
      {"pause", "no-such-job"},
      {"resume", "--type", "BAD TYPE"},
  };
  for (const auto& args : bad) {
    auto result = troupe(args);
    INFO(args[0] << " " << (args.size() > 1 ? args[1] : "") << ": "
                 << result.err);
    CHECK(result.exit_code == 2);
    CHECK_FALSE(result.err.empty());
  }
  auto after = troupe({"limits", "get", "--json"}).parsed();
  CHECK(after == before);
  auto burst = troupe({"limits", "set", "--type", "mail", "--burst", "5"});
  CHECK_THAT(burst.err, Catch::Contains("burst: needs a rate"));
}

TEST_CASE("a bad limit in the config file stops serve with exit 2",
          "[cli][limits]") {
  scratch_dir dir;
  std::ofstream{dir / "serve.json"}
      << R"({"limits": [{"type": "sleep", "max_running": 2},
                        {"type": "x", "rate": -4}]})";
  auto result = run_troupe(
      {"serve", "--data", dir / "data", "--config", dir / "serve.json"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("limits[1].rate"));
}
