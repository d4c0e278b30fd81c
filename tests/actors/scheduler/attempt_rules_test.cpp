// Fencing and retries left: the one rule each that the state machine's
// reports, executor loss and recovery all apply.
#include <catch2/catch.hpp>

#include "troupe/actors/scheduler/attempt_rules.hpp"

using namespace troupe;

namespace {

job_record at(job_status status, uint32_t attempt, int32_t max_retries = 3) {
  job_record job;
  job.id = "j";
  job.status = status;
  job.attempt = attempt;
  job.max_retries = max_retries;
  return job;
}

} // namespace

TEST_CASE("fencing accepts only the same attempt in the expected status",
          "[attempt_rules]") {
  auto job = at(job_status::running, 2);
  CHECK(is_current_attempt(job, 2, job_status::running));
  CHECK_FALSE(is_current_attempt(job, 1, job_status::running));
  CHECK_FALSE(is_current_attempt(job, 3, job_status::running));
  CHECK_FALSE(is_current_attempt(job, 2, job_status::queued));
}

TEST_CASE("retries left count 1 + max_retries attempts", "[attempt_rules]") {
  CHECK(has_retries_left(at(job_status::running, 1, 3)));
  CHECK(has_retries_left(at(job_status::running, 3, 3)));
  CHECK_FALSE(has_retries_left(at(job_status::running, 4, 3)));
  CHECK_FALSE(has_retries_left(at(job_status::running, 1, 0)));
}

TEST_CASE("retries left do not overflow at the largest attempt",
          "[attempt_rules]") {
  CHECK_FALSE(has_retries_left(at(job_status::running, UINT32_MAX, 100)));
  CHECK(has_retries_left(at(job_status::running, 1, INT32_MAX)));
}

TEST_CASE("attempts allowed grow past the retries only by a manual retry",
          "[attempt_rules]") {
  CHECK(attempts_allowed(at(job_status::failed, 1, 3)) == 4);
  CHECK(attempts_allowed(at(job_status::failed, 4, 3)) == 4);
  // A manual retry of a job that used all four runs attempt 5.
  CHECK(attempts_allowed(at(job_status::queued, 5, 3)) == 5);
  CHECK_FALSE(has_retries_left(at(job_status::running, 5, 3)));
}
