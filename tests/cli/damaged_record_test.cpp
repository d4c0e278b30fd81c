// A completed job whose stored record no longer decodes: `troupe list` and
// `troupe cleanup` tell their user which record they skipped and go on with
// the rest; the record stays in the store for inspection.
#include <catch2/catch.hpp>

#include <signal.h>

#include "tests/cli/cli_process.hpp"
#include "tests/raw_rows.hpp"

using namespace troupe;
using namespace troupe::cli_test;

TEST_CASE_METHOD(cli_fixture,
                 "list and cleanup name a damaged record to their user and go "
                 "on with the rest",
                 "[cli][damaged]") {
  start_server({"--slots", "2"});
  for (const auto* id : {"a", "b", "c"})
    submit({"--type", "sleep", "--id", id, "--payload", R"({"ms": 1})"});
  REQUIRE(troupe({"wait", "a", "b", "c"}).exit_code == 0);
  REQUIRE(server->stop(SIGTERM) == 0);
  test::write_raw(dir / "data", {{schema::jobs, "b", "\x02garbage"}});
  start_server({"--slots", "0"});

  auto listed = troupe({"list", "--json"});
  CHECK(listed.exit_code == 0);
  CHECK(ids_of(listed.parsed()) == std::vector<std::string>{"a", "c"});
  CHECK_THAT(listed.err,
             Catch::Contains("troupe list: skipped the damaged record of job "
                             "'b' (left in the store for inspection)"));
  auto table = troupe({"list"});
  CHECK(table.exit_code == 0);
  CHECK_THAT(table.err, Catch::Contains("damaged record of job 'b'"));

  auto cleaned = troupe({"cleanup", "--older-than", "0s", "--json"});
  CHECK(cleaned.exit_code == 0);
  auto report = cleaned.parsed();
  CHECK(report["purged"] == 2);
  REQUIRE(report["damaged"].size() == 1);
  CHECK(report["damaged"][0]["id"] == "b");
  CHECK_THAT(report["damaged"][0]["problem"].get<std::string>(),
             Catch::Contains("record of job 'b'"));
  CHECK_THAT(cleaned.err,
             Catch::Contains("troupe cleanup: skipped the damaged record of "
                             "job 'b'"));

  // Still there, and reading it directly says what is wrong.
  auto status = troupe({"status", "b"});
  CHECK(status.exit_code != 0);
  CHECK_THAT(status.err, Catch::Contains("record of job 'b'"));
  CHECK(ids_of(list()).empty());
}
