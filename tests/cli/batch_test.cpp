// Batches through the real binary: dependency order, cycles and malformed
// lines rejected before anything is stored, and the dependency failure
// policies (fail, cancel, ignore) through chains of jobs.
#include <catch2/catch.hpp>

#include <fstream>

#include "tests/cli/cli_process.hpp"

using namespace troupe::cli_test;

namespace {

std::string write_batch(const scratch_dir& dir, const std::string& name,
                        const std::vector<std::string>& lines) {
  auto path = dir / name;
  std::ofstream out{path};
  for (const auto& line : lines)
    out << line << '\n';
  return path;
}

std::string error_of(const json& job) {
  return job.at("error").get<std::string>();
}

} // namespace

TEST_CASE_METHOD(cli_fixture,
                 "a batch of jobs with dependencies completes in dependency "
                 "order",
                 "[cli][batch]") {
  auto file = write_batch(
      dir, "pipeline.jsonl",
      {R"({"id": "report", "type": "echo", "deps": ["build", "test"]})",
       R"({"id": "build", "type": "sleep", "payload": {"ms": 300}})", "",
       R"({"id": "test", "type": "noop", "deps": ["build"], "tags": ["ci"]})"});
  auto result = troupe({"submit", "--batch", file, "--wait"});
  INFO("stderr: " << result.err);
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::StartsWith("report\nbuild\ntest\n"));
  auto build = status("build");
  auto test = status("test");
  auto report = status("report");
  for (const auto& job : {build, test, report})
    CHECK(job["status"] == "completed");
  CHECK(build["finished"].get<std::string>() <=
        test["started"].get<std::string>());
  CHECK(test["finished"].get<std::string>() <=
        report["started"].get<std::string>());
  CHECK(test["tags"] == json::array({"ci"}));
  auto again = troupe({"submit", "--batch", file, "--json"});
  REQUIRE(again.exit_code == 0); // Client-chosen ids: the same jobs again.
  CHECK(again.parsed() == json::array({"report", "build", "test"}));
  CHECK(list().size() == 3);
}

TEST_CASE_METHOD(cli_fixture,
                 "a batch with a cycle exits 2 naming the cycle and persists "
                 "nothing",
                 "[cli][batch]") {
  auto file =
      write_batch(dir, "cycle.jsonl",
                  {R"({"id": "fine", "type": "noop"})",
                   R"({"id": "a", "type": "noop", "deps": ["b", "fine"]})",
                   R"({"id": "b", "type": "noop", "deps": ["c"]})",
                   R"({"id": "c", "type": "noop", "deps": ["a"]})"});
  auto result = troupe({"submit", "--batch", file});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("cycle: a -> b -> c -> a"));
  CHECK(result.out.empty());
  CHECK(list().empty());
}

TEST_CASE_METHOD(cli_fixture,
                 "a malformed batch line exits 2 naming the line and field",
                 "[cli][batch]") {
  auto not_json = write_batch(dir, "broken.jsonl",
                              {R"({"type": "noop"})", R"({"type": "noop",)"});
  auto result = troupe({"submit", "--batch", not_json});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err,
             Catch::Contains("broken.jsonl line 2: not valid JSON"));
  auto bad_field = write_batch(
      dir, "field.jsonl",
      {R"({"type": "noop"})", "", R"({"type": "noop", "priority": 11})"});
  result = troupe({"submit", "--batch", bad_field});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err,
             Catch::Contains("line 3: priority: must be between 1 and 10"));
  auto unknown = write_batch(dir, "unknown.jsonl",
                             {R"({"type": "noop", "colour": "red"})"});
  result = troupe({"submit", "--batch", unknown});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("line 1: colour: unknown field"));
  result = troupe({"submit", "--batch", unknown, "--type", "noop"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("cannot be combined with --type"));
  CHECK(list().empty());
}

TEST_CASE_METHOD(cli_fixture,
                 "dependency failure policies fail, cancel or run dependents, "
                 "transitively and with the reason",
                 "[cli][policy]") {
  auto file =
      write_batch(dir, "policies.jsonl",
                  {R"({"id": "root", "type": "fail", "max_retries": 0})",
                   R"({"id": "f", "type": "noop", "deps": ["root"]})",
                   R"({"id": "f2", "type": "noop", "deps": ["f"]})",
                   R"({"id": "c", "type": "noop", "deps": ["root"], )"
                   R"("on_dependency_failure": "cancel"})",
                   R"({"id": "c2", "type": "noop", "deps": ["c"], )"
                   R"("on_dependency_failure": "ignore"})",
                   R"({"id": "i", "type": "echo", "deps": ["root"], )"
                   R"("on_dependency_failure": "ignore"})",
                   R"({"id": "i2", "type": "noop", "deps": ["i"]})"});
  REQUIRE(troupe({"submit", "--batch", file}).exit_code == 0);
  submit({"--type", "noop", "--after", "root", "--on-dependency-failure",
          "cancel", "--id", "by-flag"});
  CHECK(troupe({"wait", "root", "f", "f2", "c", "c2", "i", "i2", "by-flag"})
            .exit_code == 1);
  CHECK(status("root")["status"] == "failed");
  CHECK(status("f")["status"] == "failed");
  CHECK(error_of(status("f")) == "dependency root failed");
  CHECK(status("f2")["status"] == "failed");
  CHECK(error_of(status("f2")) == "dependency f failed");
  CHECK(status("c")["status"] == "cancelled");
  CHECK(error_of(status("c")) == "dependency root failed");
  CHECK(status("c2")["status"] == "completed");
  CHECK(status("i")["status"] == "completed");
  CHECK(status("i2")["status"] == "completed");
  CHECK(status("by-flag")["status"] == "cancelled");
  CHECK(status("by-flag")["on_dependency_failure"] == "cancel");
}
