// `troupe demo` end to end: the release pipeline finishes as planned, with
// the flaky job's history in the report.
#include <catch2/catch.hpp>

#include <signal.h>

#include <filesystem>
#include <fstream>

#include "tests/cli/cli_process.hpp"

using namespace troupe::cli_test;

TEST_CASE("the demo runs the release pipeline and exits 0", "[cli][demo]") {
  scratch_dir dir;
  auto result = run_troupe({"demo", "--data", dir / "demo"});
  INFO(result.out << result.err);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("History of upload-symbols"));
  CHECK_THAT(result.out, Catch::Contains("attempt 1 failed: artifact store"));
  CHECK_THAT(result.out, Catch::Contains("attempt 3 completed"));
  CHECK_THAT(result.out, Catch::Contains("sync-mirror failed"));
  CHECK_THAT(result.out, Catch::Contains("publish-nightly cancelled"));
  CHECK_THAT(result.out, Catch::Contains("every job ended as planned"));
}

TEST_CASE("the demo clears only a store it created and refuses any other",
          "[cli][demo]") {
  scratch_dir dir;
  // A server's store: a troupe store, but not the demo's.
  {
    server_process server{dir / "served"};
    REQUIRE(run_troupe({"submit", "--type", "noop", "--id", "keep-me",
                        "--server", server.address(), "--wait"})
                .exit_code == 0);
    REQUIRE(server.stop(SIGTERM) == 0);
  }
  auto refused = run_troupe({"demo", "--data", dir / "served"});
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Catch::Contains("not a store this demo created"));
  {
    server_process server{dir / "served"};
    auto kept = run_troupe({"status", "keep-me", "--server", server.address()});
    CHECK(kept.exit_code == 0);
  }
  // Any other directory with content is refused too.
  auto other = dir / "other";
  std::filesystem::create_directories(other);
  std::ofstream{other + "/notes.txt"} << "mine\n";
  CHECK(run_troupe({"demo", "--data", other}).exit_code == 2);
  CHECK(std::filesystem::exists(other + "/notes.txt"));
  // The demo's own store is cleared and reused.
  REQUIRE(run_troupe({"demo", "--data", dir / "demo"}).exit_code == 0);
  auto again = run_troupe({"demo", "--data", dir / "demo"});
  INFO(again.err);
  CHECK(again.exit_code == 0);
}
