// Submission rules seen from the command line: resubmitting an id, client
// ids, and payloads the built-in job types can never run.
#include <catch2/catch.hpp>

#include <tuple>

#include "tests/cli/cli_process.hpp"

using namespace troupe::cli_test;

TEST_CASE_METHOD(cli_fixture,
                 "resubmitting an id returns the job or exits 2 with the "
                 "differing field",
                 "[cli][submit]") {
  auto id = submit({"--type", "noop", "--id", "nightly-1", "--priority", "3"});
  CHECK(id == "nightly-1");
  CHECK(submit({"--type", "noop", "--id", "nightly-1", "--priority", "3"}) ==
        "nightly-1");
  auto before = list();
  auto changed = troupe(
      {"submit", "--type", "noop", "--id", "nightly-1", "--priority", "4"});
  CHECK(changed.exit_code == 2);
  CHECK_THAT(changed.err, Catch::Contains("nightly-1") &&
                              Catch::Contains("priority (submitted 4, "
                                              "stored 3)"));
  CHECK(changed.out.empty());
  // The same holds across a restart, when the job is only in the store.
  submit({"--type", "noop", "--id", "done-1", "--wait"});
  start_server();
  CHECK(submit({"--type", "noop", "--id", "done-1"}) == "done-1");
  auto after = troupe({"submit", "--type", "echo", "--id", "done-1"});
  CHECK(after.exit_code == 2);
  CHECK_THAT(after.err, Catch::Contains("type (submitted \"echo\", stored "
                                        "\"noop\")"));
  CHECK(list().size() == before.size() + 1);
}

TEST_CASE_METHOD(cli_fixture,
                 "submit without --id sends an id chosen by the client",
                 "[cli][submit]") {
  auto first = submit({"--type", "noop"});
  auto second = submit({"--type", "noop"});
  CHECK(first != second);
  CHECK(first.front() == 'c');
  CHECK(status(first)["id"] == first);
}

TEST_CASE_METHOD(shell_fixture,
                 "a built-in job type refuses a payload that can never work "
                 "with exit 2",
                 "[cli][submit]") {
  auto before = list();
  for (const auto& [type, payload, message] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"sleep", "{}", "payload.ms: must be a non-negative integer"},
           {"sleep", R"({"ms": -1})", "payload.ms"},
           {"shell", "{}", "payload: needs exactly one of"},
           {"shell", R"({"argv": []})", "payload.argv: must be a non-empty"},
           {"shell", R"({"cmd": "true", "env": {"A": 1}})",
            "payload.env.A: must be a string"}}) {
    auto result = troupe({"submit", "--type", type, "--payload", payload});
    INFO(type << " " << payload << ": " << result.err);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains(message));
    CHECK(result.out.empty());
  }
  CHECK(list() == before);
  submit({"--type", "sleep", "--payload", R"({"ms": 1})", "--wait"});
}
