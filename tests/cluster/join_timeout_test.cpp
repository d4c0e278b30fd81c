// A worker whose coordinator does not answer gives up after its join
// timeout with exit code 3, and a stop signal ends it in every phase.
#include <signal.h>
#include <unistd.h>

#include <chrono>

#include <catch2/catch.hpp>

#include "tests/cluster/cluster_fixture.hpp"
#include "tests/dead_port.hpp"

using namespace troupe::cluster_test;
using troupe::test::dead_port;

namespace {

using clock_type = std::chrono::steady_clock;

std::string dead_address() {
  return "127.0.0.1:" + std::to_string(dead_port());
}

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

/// Runs troupe with stderr merged into stdout, so the first line it writes
/// to either marks it ready.
const std::vector<std::string> merge_stderr = {"/bin/sh", "-c",
                                               "exec \"$0\" \"$@\" 2>&1"};

} // namespace

TEST_CASE("a worker that cannot join exits 3 after its join timeout",
          "[cluster][join]") {
  auto start = clock_type::now();
  auto result = troupe::cli_test::run_troupe(
      {"worker", "--join", dead_address(), "--join-timeout", "1"});
  auto elapsed = seconds_since(start);
  CHECK(result.exit_code == 3);
  CHECK_THAT(result.err,
             Catch::Contains("no troupe coordinator answered at 127.0.0.1:"));
  // Timeout plus one second is the promise; the bound leaves room for a
  // loaded machine.
  CHECK(elapsed < 1 + 5);
}

TEST_CASE("SIGTERM while a worker is joining ends it at once",
          "[cluster][join]") {
  background_process worker{
      {"worker", "--join", dead_address(), "--join-timeout", "600"},
      merge_stderr};
  CHECK_THAT(worker.banner(), Catch::Contains("cannot join the coordinator"));
  auto start = clock_type::now();
  CHECK(worker.stop(SIGTERM) == 0);
  CHECK(seconds_since(start) < 5);
}

TEST_CASE("SIGINT while a worker is joining ends it at once",
          "[cluster][join]") {
  background_process worker{
      {"worker", "--join", dead_address(), "--join-timeout", "600"},
      merge_stderr};
  auto start = clock_type::now();
  CHECK(worker.stop(SIGINT) == 0);
  CHECK(seconds_since(start) < 5);
}
