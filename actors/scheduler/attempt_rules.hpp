// The two rules every attempt obeys, stated once: fencing (a report applies
// only to the attempt the job is at) and whether a failed attempt may retry.
#pragma once

#include <cstdint>

#include "troupe/messages/job_record.hpp"

namespace troupe {

/// The fencing rule: a report about `attempt` applies to `job` only while
/// the job is in status `expected` at that same attempt. Anything else is a
/// stale report from an attempt already ended or replaced.
bool is_current_attempt(const job_record& job, uint32_t attempt,
                        job_status expected);

/// How many attempts `job` may run: 1 + max_retries, or its current attempt
/// when a manual retry took it past them (a manual retry grants one more).
int64_t attempts_allowed(const job_record& job);

/// Whether `job` may start another attempt after its current one ends
/// (its attempt is below attempts_allowed).
bool has_retries_left(const job_record& job);

} // namespace troupe
