// `troupe serve` on a store whose write-ahead log was deleted: the start is
// refused with exit 3, naming the loss; --accept-data-loss with exactly that
// number opens what is left and says so.
#include <catch2/catch.hpp>

#include <signal.h>

#include "tests/cli/cli_process.hpp"

using namespace troupe::cli_test;

TEST_CASE("serve refuses a store that lost acknowledged writes until the "
          "loss is accepted",
          "[cli][serve][wal]") {
  scratch_dir dir;
  auto data = dir / "data";
  {
    server_process server{data, {"--slots", "0"}};
    for (int i = 0; i < 5; ++i)
      REQUIRE(run_troupe({"submit", "--type", "sleep", "--payload",
                          "{\"ms\": 1}", "--server", server.address()})
                  .exit_code == 0);
    REQUIRE(server.stop(SIGTERM) == 0);
  }
  for (const auto& entry : std::filesystem::directory_iterator(data))
    if (entry.path().extension() == ".log")
      std::filesystem::remove(entry.path());
  auto refused =
      run_troupe({"serve", "--data", data, "--listen", "127.0.0.1:0"});
  INFO(refused.err);
  CHECK(refused.exit_code == 3);
  auto at = refused.err.find("--accept-data-loss ");
  REQUIRE(at != std::string::npos);
  auto lost = std::to_string(std::stoull(refused.err.substr(at + 19)));
  auto wrong = run_troupe({"serve", "--data", data, "--listen", "127.0.0.1:0",
                           "--accept-data-loss", lost + "1"});
  CHECK(wrong.exit_code == 3);
  server_process accepted{data, {"--slots", "0", "--accept-data-loss", lost}};
  auto jobs = run_troupe({"list", "--json", "--server", accepted.address()});
  CHECK(jobs.exit_code == 0);
  CHECK(ids_of(jobs.parsed()).empty());
  CHECK(accepted.stop(SIGTERM) == 0);
}
