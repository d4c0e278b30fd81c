// `troupe audit` through the real binary: cleanup and backup leave entries
// that list as a table and as JSON, filter by principal and time, and
// survive a restart of the server; bad flags are refused by name.
#include <catch2/catch.hpp>

#include <signal.h>

#include "apps/troupe/audit_views.hpp"
#include "apps/troupe/exit_codes.hpp"
#include "tests/cli/cli_process.hpp"
#include "troupe/security/client_secret.hpp"

using namespace troupe::cli_test;

namespace {

/// The actions of a `troupe audit --json` result, in order.
std::vector<std::string> actions_of(const json& entries) {
  std::vector<std::string> out;
  for (const auto& x : entries)
    out.push_back(x["action"].get<std::string>());
  return out;
}

using strings = std::vector<std::string>;

} // namespace

TEST_CASE_METHOD(cli_fixture,
                 "cleanup and backup are listed by troupe audit with every "
                 "field, and still after a restart",
                 "[cli][audit]") {
  auto empty = troupe({"audit", "--json"});
  REQUIRE(empty.exit_code == 0);
  CHECK(empty.parsed() == json::array());
  auto cleanup = troupe({"cleanup", "--older-than", "1d"});
  REQUIRE(cleanup.exit_code == 0);
  auto target = dir / "backup";
  REQUIRE(troupe({"backup", "--to", target}).exit_code == 0);
  auto listed = troupe({"audit", "--json"});
  INFO("stderr: " << listed.err);
  REQUIRE(listed.exit_code == 0);
  auto entries = listed.parsed();
  REQUIRE(actions_of(entries) == strings{"cleanup", "backup"});
  const auto& first = entries[0];
  // Through the gateway: the principal of the secret, the server's user.
  CHECK(first["principal"] == troupe::current_user_name());
  CHECK(first["outcome"] == "ok");
  CHECK(first["detail"] == "purged 0 jobs");
  CHECK_THAT(first["target"].get<std::string>(),
             Catch::StartsWith("finished before 20"));
  CHECK(first["at_us"].get<int64_t>() > 0);
  CHECK_THAT(first["at"].get<std::string>(), Catch::EndsWith("Z"));
  CHECK(entries[1]["target"] == target);
  CHECK_THAT(entries[1]["detail"].get<std::string>(),
             Catch::Contains("0 jobs"));
  auto table = troupe({"audit"});
  REQUIRE(table.exit_code == 0);
  CHECK_THAT(table.out, Catch::Contains("TIME") &&
                            Catch::Contains("PRINCIPAL") &&
                            Catch::Contains("cleanup") &&
                            Catch::Contains("purged 0 jobs"));
  REQUIRE(server->stop(SIGTERM) == 0);
  start_server();
  auto after = troupe({"audit", "--json", "--limit", "1"});
  REQUIRE(after.exit_code == 0);
  CHECK(actions_of(after.parsed()) == strings{"cleanup"});
}

TEST_CASE_METHOD(cli_fixture, "troupe audit filters by principal and by time",
                 "[cli][audit]") {
  REQUIRE(troupe({"cleanup", "--older-than", "7d"}).exit_code == 0);
  auto nobody = troupe({"audit", "--json", "--principal", "nobody"});
  REQUIRE(nobody.exit_code == 0);
  CHECK(nobody.parsed() == json::array());
  auto recent = troupe({"audit", "--json", "--since", "1h"});
  REQUIRE(recent.exit_code == 0);
  CHECK(actions_of(recent.parsed()) == strings{"cleanup"});
  auto future = troupe({"audit", "--json", "--since", "2999-01-01T00:00:00Z"});
  REQUIRE(future.exit_code == 0);
  CHECK(future.parsed() == json::array());
  auto none = troupe({"audit", "--since", "2999-01-01T00:00:00Z"});
  CHECK(none.out == "no audit entries\n");
}

TEST_CASE_METHOD(cli_fixture,
                 "troupe audit refuses a bad --since or --limit by name",
                 "[cli][audit]") {
  for (const auto* bad :
       {"yesterday", "5 minutes", "-3h", "2026-13-01T00:00:00Z"}) {
    INFO("--since " << bad);
    auto refused = troupe({"audit", "--since", bad});
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.err, Catch::Contains("--since: must be a duration") &&
                                Catch::Contains("RFC 3339"));
  }
  auto zero = troupe({"audit", "--limit", "0"});
  CHECK(zero.exit_code == 2);
  CHECK_THAT(zero.err, Catch::Contains("--limit"));
}

TEST_CASE("the audit since rule reads durations as that long ago and RFC 3339 "
          "times as they are",
          "[cli][audit]") {
  using troupe::cli::parse_since_us;
  constexpr int64_t now = 1'700'000'000'000'000;
  CHECK(parse_since_us("--since", "15m", now) == now - 900'000'000);
  CHECK(parse_since_us("--since", "2023-11-14T22:13:20Z", now) == now);
  CHECK(parse_since_us("--since", "99999d", 5) == 0);
  CHECK_THROWS_AS(parse_since_us("--since", "soon", now),
                  troupe::cli::cli_error);
  troupe::audit_entry x;
  x.at_us = now;
  x.action = "cancel";
  auto j = troupe::cli::audit_entry_to_json(x);
  CHECK(j["at"] == "2023-11-14T22:13:20.000Z");
  CHECK(j.size() == 7);
}
