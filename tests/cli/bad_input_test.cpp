// Bad input: exit code 2, a message naming the argument or field and the
// rule, and no change on the server. A missing server: exit code 3.
#include <catch2/catch.hpp>

#include <signal.h>

#include <fstream>

#include "tests/cli/cli_process.hpp"

using namespace troupe::cli_test;

namespace {

struct bad_call {
  std::vector<std::string> args;
  std::string message;
};

// Bad submissions; `existing` is the id of a completed job.
std::vector<bad_call> bad_submissions(const std::string& existing) {
  return {
      {{"submit", "--type", "echo", "--payload", "{bad json"},
       "--payload: not valid JSON"},
      {{"submit", "--type", "echo", "--payload", "@/nonexistent/payload.json"},
       "--payload: cannot read file"},
      {{"submit", "--type", "echo", "--priority", "0"},
       "--priority: must be between 1 and 10, got 0"},
      {{"submit", "--type", "echo", "--priority", "11"},
       "--priority: must be between 1 and 10, got 11"},
      {{"submit", "--type", "echo", "--after", "no-such-job"}, "no-such-job"},
      {{"submit", "--type", "echo", "--after", existing, "--after", "nope"},
       "deps[1]"},
      {{"submit", "--type", "Not A Type"}, "--type: must match"},
      {{"submit", "--type", "echo", "--timeout", "0"},
       "--timeout: must be between 1 and 86400 seconds, got 0"},
      {{"submit", "--type", "echo", "--retries", "101"},
       "--retries: must be between 0 and 100, got 101"},
      {{"submit", "--type", "echo", "--id", "bad id"}, "--id: must match"},
      {{"submit", "--type", "echo", "--on-dependency-failure", "maybe"},
       "--on-dependency-failure: must be one of fail, cancel, ignore"},
      {{"submit", "--type", "echo", "--priority", "high"}, "--priority"},
      {{"submit", "--payload", "{}"}, "--type is required"},
      {{"submit", "--type", "echo", "--frobnicate"}, "--frobnicate"},
  };
}

// Bad calls of the other commands.
std::vector<bad_call> bad_commands(const std::string& existing) {
  return {
      {{"frobnicate"}, "unknown command \"frobnicate\""},
      {{"list", "--status", "lost"}, "--status: must be one of"},
      {{"list", "--sort", "size"},
       "--sort: must be one of created, priority, updated, got \"size\""},
      {{"list", "--limit", "0"}, "--limit: must be between 1 and 10000"},
      {{"status", "no-such-job"}, "no-such-job"},
      {{"cancel", existing}, "already completed"},
      {{"history", "no-such-job"}, "no-such-job"},
      {{"cleanup", "--older-than", "7x"}, "--older-than: must be a number"},
      {{"wait", existing, "--timeout", "-1"},
       "--timeout: must not be negative"},
      {{"wait", existing, "no-such-job"}, "no-such-job"},
  };
}

} // namespace

TEST_CASE_METHOD(cli_fixture,
                 "bad input exits 2, names the problem and changes nothing",
                 "[cli][validation]") {
  auto existing = submit({"--type", "noop", "--wait"});
  auto before = list();
  auto calls = bad_submissions(existing);
  auto more = bad_commands(existing);
  calls.insert(calls.end(), more.begin(), more.end());
  for (const auto& call : calls) {
    auto result = troupe(call.args);
    INFO("troupe " << call.args.front() << " ...: " << result.err);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains(call.message));
    CHECK(result.out.empty());
  }
  CHECK(list() == before);
}

TEST_CASE_METHOD(cli_fixture,
                 "a payload nested 200,000 deep is refused with exit 2, from "
                 "a flag and from a batch file",
                 "[cli][validation]") {
  auto before = list();
  std::ofstream{dir / "deep.json"} << std::string(200'000, '[');
  auto flag = troupe(
      {"submit", "--type", "echo", "--payload", "@" + dir / "deep.json"});
  CHECK(flag.exit_code == 2);
  CHECK_THAT(flag.err, Catch::Contains("--payload: arrays and objects may "
                                       "nest at most 64 levels deep"));
  std::ofstream{dir / "deep.jsonl"} << R"({"type": "echo", "payload": )"
                                    << std::string(100, '[')
                                    << std::string(100, ']') << "}\n";
  auto batch = troupe({"submit", "--batch", dir / "deep.jsonl"});
  CHECK(batch.exit_code == 2);
  CHECK_THAT(batch.err, Catch::Contains("line 1: payload: arrays and objects "
                                        "may nest at most 64 levels deep"));
  CHECK(list() == before);
}

TEST_CASE("help works on every command and needs no server",
          "[cli][validation]") {
  CHECK(run_troupe({"--help"}).exit_code == 0);
  for (const char* command :
       {"serve", "submit", "status", "wait", "list", "cancel", "retry",
        "history", "stats", "workers", "cleanup", "demo"}) {
    auto result = run_troupe({command, "--help"});
    INFO(command);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out,
               Catch::Contains("Usage: troupe " + std::string{command}));
  }
  CHECK(run_troupe({}).exit_code == 2);
}

TEST_CASE("a stopped server gives exit code 3 naming where it tried",
          "[cli][validation]") {
  scratch_dir dir;
  std::string address;
  {
    server_process server{dir / "data"};
    address = server.address();
    REQUIRE(server.stop(SIGTERM) == 0);
  }
  for (auto args : std::vector<std::vector<std::string>>{
           {"list"}, {"submit", "--type", "noop"}, {"wait", "x"}, {"stats"}}) {
    args.push_back("--server");
    args.push_back(address);
    auto result = run_troupe(args);
    INFO(args.front() << ": " << result.err);
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.err,
               Catch::Contains("cannot reach the troupe server at " + address));
  }
  auto bad_address = run_troupe({"list", "--server", "nowhere"});
  CHECK(bad_address.exit_code == 2);
  CHECK_THAT(bad_address.err, Catch::Contains("--server: must be HOST:PORT"));
}
