// The bounded JSON check: depth counted without recursion, and the payload
// rule of the spec validation built on it.
#include <string>

#include <catch2/catch.hpp>

#include "troupe/actors/scheduler/json_depth.hpp"
#include "troupe/actors/scheduler/spec_validation.hpp"
#include "troupe/messages/errc.hpp"

using namespace troupe;

namespace {

std::string nested(size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

} // namespace

TEST_CASE("json depth counts arrays and objects and stops past the limit",
          "[unit][json]") {
  CHECK(check_json("1", 0) == json_check::ok);
  CHECK(check_json("[]", 0) == json_check::too_deep);
  CHECK(check_json(R"({"a": [{"b": 1}]})", 3) == json_check::ok);
  CHECK(check_json(R"({"a": [{"b": 1}]})", 2) == json_check::too_deep);
  CHECK(check_json(nested(64), 64) == json_check::ok);
  CHECK(check_json(nested(65), 64) == json_check::too_deep);
  CHECK(check_json("[1, 2", 64) == json_check::invalid);
  CHECK(check_json("{} {}", 64) == json_check::invalid);
}

TEST_CASE("200,000 open brackets are refused without exhausting the stack",
          "[unit][json]") {
  CHECK(check_json(std::string(200'000, '['), 64) == json_check::too_deep);
  job_spec spec;
  spec.type = "echo";
  spec.payload = std::string(200'000, '[');
  auto err = validate_spec(spec, job_limits{});
  REQUIRE(err);
  CHECK(message_of(err) ==
        "payload: arrays and objects may nest at most 64 levels deep");
}

TEST_CASE("the payload depth limit is configurable", "[unit][json]") {
  job_limits limits;
  limits.max_payload_depth = 2;
  job_spec spec;
  spec.type = "echo";
  spec.payload = R"({"a": [1]})";
  CHECK_FALSE(validate_spec(spec, limits));
  spec.payload = R"({"a": [[1]]})";
  CHECK(validate_spec(spec, limits));
}

TEST_CASE("a batch holds at most the configured number of jobs",
          "[unit][json]") {
  job_limits limits;
  CHECK_FALSE(validate_batch_size(10'000, limits));
  auto err = validate_batch_size(10'001, limits);
  REQUIRE(err);
  CHECK(message_of(err) ==
        "jobs: a batch may hold at most 10000 jobs, got 10001");
  CHECK(validate_batch_size(0, limits));
  limits.max_batch_jobs = 3;
  CHECK(validate_batch_size(4, limits));
}
