// Submitting and waiting through the real binary: ids, JSON records, exit
// codes of waited jobs, dependencies and the TROUPE_SERVER variable.
#include <catch2/catch.hpp>

#include "tests/cli/cli_process.hpp"

using namespace troupe::cli_test;

TEST_CASE_METHOD(cli_fixture,
                 "submit prints an id and status shows the finished record",
                 "[cli]") {
  auto id =
      submit({"--type", "echo", "--payload", R"({"greeting": "hi"})", "--owner",
              "alice", "--tag", "smoke", "--priority", "3", "--wait"});
  auto job = status(id);
  CHECK(job["id"] == id);
  CHECK(job["status"] == "completed");
  CHECK(job["payload"]["greeting"] == "hi"); // A JSON value, not a string.
  CHECK(job["result"]["greeting"] == "hi");
  CHECK(job["priority"] == 3);
  CHECK(job["owner"] == "alice");
  CHECK(job["tags"] == json::array({"smoke"}));
  CHECK(job["attempt"] == 1);
  CHECK(job["run_at"].is_null());
  for (const char* field : {"created", "updated", "started", "finished"}) {
    auto time = job[field].get<std::string>();
    CHECK(time.size() == 24);
    CHECK(time.back() == 'Z');
  }
  auto text = troupe({"status", id});
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("completed"));
  CHECK_THAT(text.out, Catch::Contains(R"({"greeting":"hi"})"));
}

TEST_CASE_METHOD(cli_fixture, "submit --json prints exactly the record",
                 "[cli]") {
  auto result = troupe({"submit", "--type", "noop", "--id", "my-job-1",
                        "--timeout", "5", "--retries", "0", "--json"});
  REQUIRE(result.exit_code == 0);
  auto job = result.parsed();
  CHECK(job["id"] == "my-job-1");
  CHECK(job["type"] == "noop");
  CHECK(job["timeout_s"] == 5);
  CHECK(job["max_retries"] == 0);
  // The same id and spec again is an idempotent submit: the same job, no
  // second one.
  auto again = troupe({"submit", "--type", "noop", "--id", "my-job-1",
                       "--timeout", "5", "--retries", "0"});
  CHECK(again.exit_code == 0);
  CHECK(again.out == "my-job-1\n");
  CHECK(list().size() == 1);
}

TEST_CASE_METHOD(cli_fixture,
                 "wait exits 0 when all completed and 1 when one failed",
                 "[cli]") {
  auto good = submit({"--type", "sleep", "--payload", R"({"ms": 100})"});
  auto bad = submit({"--type", "fail", "--payload", R"({"message": "boom"})",
                     "--retries", "0"});
  auto ok = troupe({"wait", good});
  CHECK(ok.exit_code == 0);
  CHECK_THAT(ok.out, Catch::Contains(good + " completed"));
  auto mixed = troupe({"wait", good, bad});
  CHECK(mixed.exit_code == 1);
  // Not a terminal: one plain line per job, then a summary.
  CHECK_THAT(mixed.out, Catch::Contains(bad + " failed (fail, attempt 1)"));
  CHECK_THAT(mixed.out, Catch::Contains("boom"));
  CHECK_THAT(mixed.out, Catch::Contains("2 jobs: 1 completed, 1 failed"));
  auto as_json = troupe({"wait", good, bad, "--json"});
  CHECK(as_json.exit_code == 1);
  CHECK(as_json.parsed().size() == 2);
}

TEST_CASE_METHOD(cli_fixture, "submit --wait exits 1 for a failed job",
                 "[cli]") {
  auto result = troupe({"submit", "--type", "fail", "--retries", "1",
                        "--backoff-ms", "10", "--wait"});
  CHECK(result.exit_code == 1);
  auto id = result.out.substr(0, result.out.find('\n'));
  auto job = status(id);
  CHECK(job["status"] == "failed");
  CHECK(job["attempt"] == 2);
  CHECK(job["error"] == "failed on purpose (fail job)");
}

TEST_CASE_METHOD(cli_fixture, "wait --timeout gives up with exit 1", "[cli]") {
  auto slow = submit({"--type", "sleep", "--payload", R"({"ms": 20000})"});
  auto result = troupe({"wait", slow, "--timeout", "0.3"});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains("not finished after 0.3 s"));
  CHECK(troupe({"cancel", slow}).exit_code == 0);
  CHECK(troupe({"wait", slow}).exit_code == 1); // Cancelled.
}

TEST_CASE_METHOD(cli_fixture,
                 "a job submitted with --after runs after its dependencies",
                 "[cli]") {
  auto first = submit({"--type", "sleep", "--payload", R"({"ms": 200})"});
  auto second = submit({"--type", "echo", "--after", first});
  auto third = submit({"--type", "fail", "--retries", "0"});
  auto blocked = submit({"--type", "echo", "--after", third, "--after", first});
  CHECK(troupe({"wait", second}).exit_code == 0);
  auto a = status(first);
  auto b = status(second);
  CHECK(b["deps"] == json::array({first}));
  CHECK(b["started"].get<std::string>() >= a["finished"].get<std::string>());
  CHECK(troupe({"wait", blocked}).exit_code == 1);
  auto c = status(blocked);
  CHECK(c["status"] == "failed");
  CHECK_THAT(c["error"].get<std::string>(), Catch::Contains(third));
}

TEST_CASE_METHOD(cli_fixture, "TROUPE_SERVER names the server", "[cli]") {
  submit({"--type", "noop"});
  auto result =
      run_troupe({"list", "--json"}, {"TROUPE_SERVER=" + server->address()});
  CHECK(result.exit_code == 0);
  CHECK(result.parsed().size() == 1);
}
