// Fencing and retries left, the one place each is decided.
#include "troupe/actors/scheduler/attempt_rules.hpp"

namespace troupe {

bool is_current_attempt(const job_record& job, uint32_t attempt,
                        job_status expected) {
  return job.status == expected && job.attempt == attempt;
}

bool has_retries_left(const job_record& job) {
  // In 64 bits: max_retries may be as large as the limits allow.
  return int64_t{job.max_retries} + 1 - int64_t{job.attempt} > 0;
}

} // namespace troupe
