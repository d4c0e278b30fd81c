// Unit tests of payload checks at admission and of fatal attempt outcomes:
// a job that can never work is refused or failed at once, never retried.
#include "tests/actors/scheduler/scheduler_state_fixture.hpp"

using namespace troupe;
using troupe::test::scheduler_fixture;

namespace {

scheduler_config with_sleep_check() {
  auto cfg = troupe::test::fixture_config();
  auto checks = std::make_shared<validator_map>();
  (*checks)["sleep"] = [](const nlohmann::json& payload) -> std::string {
    if (!payload.contains("ms") || !payload["ms"].is_number_integer())
      return "payload.ms: must be a non-negative integer";
    return {};
  };
  cfg.payload_validators = checks;
  return cfg;
}

} // namespace

TEST_CASE_METHOD(scheduler_fixture,
                 "a fatal outcome fails the job at once although retries "
                 "remain",
                 "[scheduler][fatal]") {
  auto id = submit(spec());
  REQUIRE(job(id).max_retries == 2);
  start(id);
  attempt_outcome out;
  out.id = id;
  out.attempt = 1;
  out.error = "cannot execute /nowhere";
  out.fatal = true;
  out.executor = "ex";
  out.fence = state.fence_of(id);
  REQUIRE(state.finished(out, now));
  auto fx = flush();
  REQUIRE(fx.settled.size() == 1);
  CHECK(fx.settled[0].second == job_status::failed);
  CHECK(status(id) == job_status::failed);
  CHECK_FALSE(state.next_timer()); // No retry is scheduled.
}

TEST_CASE("a payload that fails its type's check is refused at admission "
          "and changes nothing",
          "[scheduler][fatal]") {
  scheduler_state state{with_sleep_check()};
  int64_t now = 1'700'000'000'000'000;
  job_spec bad;
  bad.type = "sleep";
  bad.payload = "{}";
  auto result = state.submit({bad}, now);
  REQUIRE_FALSE(result);
  CHECK(code_of(result.error()) == errc::invalid_field);
  CHECK(message_of(result.error()) ==
        "payload.ms: must be a non-negative integer");
  CHECK_FALSE(state.has_writes());
  // In a batch the job is named; types without a check pass.
  job_spec other;
  other.type = "echo";
  result = state.submit({other, bad}, now);
  REQUIRE_FALSE(result);
  CHECK(message_of(result.error()).rfind("jobs[1].payload.ms", 0) == 0);
  bad.payload = R"({"ms": 5})";
  CHECK(state.submit({other, bad}, now));
}
