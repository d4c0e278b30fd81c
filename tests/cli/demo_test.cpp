// `troupe demo` end to end: the release pipeline finishes as planned, with
// the flaky job's history in the report.
#include <catch2/catch.hpp>

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
