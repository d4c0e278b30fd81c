// Every validation rule of a job spec, each rejected with a message naming
// the field and the rule.
#include <catch2/catch.hpp>

#include "troupe/actors/scheduler/spec_validation.hpp"
#include "troupe/messages/errc.hpp"

using namespace troupe;

namespace {

job_spec valid() {
  job_spec x;
  x.type = "resize.image-v2";
  x.payload = R"({"w": 10})";
  return x;
}

std::string rejection(const job_spec& x) {
  auto err = validate_spec(x, job_limits{});
  REQUIRE(err);
  return message_of(err);
}

} // namespace

TEST_CASE("a valid spec passes", "[validation]") {
  CHECK_FALSE(validate_spec(valid(), job_limits{}));
}

TEST_CASE("each rule rejects its field", "[validation]") {
  auto x = valid();
  SECTION("type pattern") {
    x.type = "Resize";
    CHECK(rejection(x).rfind("type: must match [a-z0-9_.-]{1,64}", 0) == 0);
    x.type = std::string(65, 'a');
    CHECK(rejection(x).rfind("type:", 0) == 0);
    x.type = "";
    CHECK(rejection(x).rfind("type:", 0) == 0);
  }
  SECTION("payload size and syntax") {
    x.payload = "{not json";
    CHECK(rejection(x) == "payload: must be valid JSON");
    x.payload = "\"" + std::string(1024 * 1024, 'x') + "\"";
    CHECK(rejection(x).rfind("payload: must be at most 1048576 bytes", 0) == 0);
  }
  SECTION("priority 1 to 10") {
    x.priority = 11;
    CHECK(rejection(x) == "priority: must be between 1 and 10, got 11");
  }
  SECTION("timeout 1 s to 24 h") {
    x.timeout_s = 0;
    CHECK(rejection(x).rfind("timeout_s: must be between 1 and 86400", 0) == 0);
    x.timeout_s = 86401;
    CHECK(rejection(x).rfind("timeout_s:", 0) == 0);
  }
  SECTION("retries 0 to 100") {
    x.max_retries = 101;
    CHECK(rejection(x) == "max_retries: must be between 0 and 100, got 101");
  }
  SECTION("at most 1000 dependencies") {
    x.deps.assign(1001, "a");
    CHECK(rejection(x).rfind("deps: at most 1000 dependencies", 0) == 0);
  }
  SECTION("dependency ids") {
    x.deps = {"ok", "bad id"};
    CHECK(rejection(x).rfind("deps[1]: must be a job id", 0) == 0);
  }
  SECTION("client ids") {
    x.id = "has space";
    CHECK(rejection(x).rfind("id: must match", 0) == 0);
  }
  SECTION("a job cannot depend on itself") {
    x.id = "me";
    x.deps = {"me"};
    auto err = validate_spec(x, job_limits{});
    CHECK(code_of(err) == errc::dependency_cycle);
  }
  SECTION("tags") {
    x.tags = {""};
    CHECK(rejection(x).rfind("tags[0]:", 0) == 0);
  }
  SECTION("every rejection is an invalid_field error") {
    x.priority = 0;
    x.timeout_s = -5;
    CHECK(code_of(validate_spec(x, job_limits{})) == errc::invalid_field);
  }
}

TEST_CASE("a listing query from outside is range-checked",
          "[unit][validation]") {
  job_query query;
  CHECK_FALSE(validate_list_query(query));
  query.has_status = true;
  query.status = static_cast<job_status>(9);
  CHECK(message_of(validate_list_query(query)) ==
        "status: must be a job status, got 9");
  query.status = job_status::failed;
  query.sort = static_cast<job_sort>(7);
  CHECK(message_of(validate_list_query(query)) ==
        "sort: must be created, priority or updated, got 7");
  query.sort = job_sort::updated;
  query.limit = 4'000'000'000u;
  CHECK(message_of(validate_list_query(query)) ==
        "limit: must be between 1 and 10000, got 4000000000");
  query.limit = 0;
  CHECK(validate_list_query(query));
}
