// Enum fields that arrive from outside (a scope byte, a dependency policy, a
// missed-firing policy) are range-checked before anything is stored: a value
// out of range is refused with errc::invalid_field naming the field.
#include <catch2/catch.hpp>

#include "troupe/actors/scheduler/dispatch_rules.hpp"
#include "troupe/actors/scheduler/spec_validation.hpp"
#include "troupe/actors/schedules/schedule_keeper_state.hpp"
#include "troupe/messages/errc.hpp"

using namespace troupe;

namespace {

void require_invalid(const caf::error& err, const std::string& field) {
  REQUIRE(err);
  CHECK(code_of(err) == errc::invalid_field);
  CHECK(message_of(err).rfind(field + ": ", 0) == 0);
}

} // namespace

TEST_CASE("a scope byte out of range is refused naming the scope",
          "[validation][limits]") {
  auto nine = static_cast<control_scope>(9);
  require_invalid(validate_target(nine, "j1", "type,job"), "scope");
  require_invalid(validate_target(nine, "sleep", "type,owner"), "scope");
  CHECK(message_of(validate_target(nine, "j1", "type,job")).find("got 9") !=
        std::string::npos);
  require_invalid(validate_limit({nine, "sleep", 1, 0, 0}), "scope");
  CHECK(to_string(nine) == "scope 9");
}

TEST_CASE("a dependency policy out of range is refused", "[validation]") {
  job_spec x;
  x.type = "work";
  x.on_dependency_failure = static_cast<dependency_policy>(9);
  require_invalid(validate_spec(x, job_limits{}, "jobs[0]."),
                  "jobs[0].on_dependency_failure");
}

TEST_CASE("a missed-firing policy out of range is refused",
          "[validation][schedule]") {
  periodic_schedule x;
  x.name = "nightly";
  x.every_ms = 60'000;
  x.job.type = "report";
  x.missed = static_cast<missed_policy>(9);
  require_invalid(validate_schedule(x, job_limits{}), "missed");
  schedule_keeper_state st;
  require_invalid(st.add(x, 1'000'000).error(), "missed");
}
