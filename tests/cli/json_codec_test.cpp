// The JSON format of jobs: field names, times and reading specs back. Unit
// tests of apps/troupe/json_codec, which every JSON output goes through.
#include <catch2/catch.hpp>

#include "apps/troupe/json_codec.hpp"

using namespace troupe;
using namespace troupe::cli;

TEST_CASE("times are RFC 3339 UTC with milliseconds and parse back",
          "[cli][json]") {
  int64_t t = 1714564803250000; // 2024-05-01T12:00:03.250Z
  CHECK(format_rfc3339(t) == "2024-05-01T12:00:03.250Z");
  CHECK(parse_rfc3339("2024-05-01T12:00:03.250Z") == t);
  CHECK(parse_rfc3339("2024-05-01T14:00:03.25+02:00") == t);
  CHECK(parse_rfc3339("2024-05-01T12:00:03Z") == t - 250000);
  CHECK_FALSE(parse_rfc3339("yesterday"));
  CHECK_FALSE(parse_rfc3339("2024-05-01 12:00:03"));
  CHECK(time_or_null(0).is_null());
}

TEST_CASE("a job record has exactly the documented fields", "[cli][json]") {
  job_record job;
  job.id = "a1";
  job.type = "echo";
  job.payload = R"({"x": [1, 2]})";
  job.result = R"({"ok": true})";
  job.created_us = 1714564803250000;
  auto out = record_to_json(job);
  std::vector<std::string> names;
  for (const auto& [key, value] : out.items())
    names.push_back(key);
  CHECK(names == std::vector<std::string>{
                     "id",        "type",         "payload",
                     "priority",  "deps",         "on_dependency_failure",
                     "timeout_s", "max_retries",  "backoff_base_ms",
                     "owner",     "tags",         "unique_key",
                     "run_at",    "unique_for_s", "result_ttl_s",
                     "status",    "attempt",      "executor",
                     "node",      "progress",     "progress_message",
                     "result",    "error",        "created",
                     "updated",   "started",      "finished"});
  CHECK(out["payload"]["x"][1] == 2);
  CHECK(out["result"]["ok"] == true);
  CHECK(out["created"] == "2024-05-01T12:00:03.250Z");
  CHECK(out["started"].is_null());
  CHECK(out["run_at"].is_null());
  job.result.clear();
  CHECK(record_to_json(job)["result"].is_null());
}

TEST_CASE("a spec survives a round trip through JSON", "[cli][json]") {
  job_spec spec;
  spec.id = "build-1";
  spec.type = "shell";
  spec.payload = R"({"cmd":"make"})";
  spec.priority = 2;
  spec.deps = {"fetch"};
  spec.on_dependency_failure = dependency_policy::cancel;
  spec.timeout_s = 30;
  spec.max_retries = 1;
  spec.owner = "ci";
  spec.tags = {"nightly"};
  spec.run_at_us = 1714564803250000;
  job_spec back;
  auto text = spec_to_json(spec).dump();
  REQUIRE(spec_from_json(nlohmann::json::parse(text), back) == "");
  CHECK(back.id == spec.id);
  CHECK(back.payload == spec.payload);
  CHECK(back.priority == 2);
  CHECK(back.deps == spec.deps);
  CHECK(back.on_dependency_failure == dependency_policy::cancel);
  CHECK(back.timeout_s == 30);
  CHECK(back.max_retries == 1);
  CHECK(back.backoff_base_ms == 0);
  CHECK(back.tags == spec.tags);
  CHECK(back.run_at_us == spec.run_at_us);
}

TEST_CASE("reading a spec names the bad field and the rule", "[cli][json]") {
  job_spec out;
  auto read = [&](const char* text) {
    return spec_from_json(nlohmann::json::parse(text), out, "jobs[2].");
  };
  CHECK(read(R"({"type": "echo", "priority": 11})") ==
        "jobs[2].priority: must be between 1 and 10, got 11");
  CHECK(read(R"({"type": "echo", "priority": 0})") ==
        "jobs[2].priority: must be between 1 and 10, got 0");
  CHECK(read(R"({"type": "echo", "deps": "a"})") ==
        "jobs[2].deps: must be an array of strings");
  CHECK(read(R"({"type": "echo", "colour": "red"})") ==
        "jobs[2].colour: unknown field");
  CHECK(read(R"({"payload": {}})") == "jobs[2].type: is required");
  CHECK(read(R"({"type": "echo", "run_at": "soon"})").find("jobs[2].run_at") ==
        0);
  // Runtime fields of an exported record are ignored.
  CHECK(read(R"({"type": "echo", "status": "failed", "attempt": 3})") == "");
}
