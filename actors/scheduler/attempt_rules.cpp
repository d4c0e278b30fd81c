// Fencing and retries left, the one place each is decided.
#include "troupe/actors/scheduler/attempt_rules.hpp"

#include <algorithm>

namespace troupe {

bool is_current_attempt(const job_record& job, uint32_t attempt,
                        job_status expected) {
  return job.status == expected && job.attempt == attempt;
}

int64_t attempts_allowed(const job_record& job) {
  // In 64 bits: max_retries may be as large as the limits allow.
  return std::max<int64_t>(job.attempt, int64_t{job.max_retries} + 1);
}

bool has_retries_left(const job_record& job) {
  return int64_t{job.attempt} < attempts_allowed(job);
}

} // namespace troupe
