// Idempotent submit by id: how a resubmitted spec compares with the job that
// already holds the id. Pure functions over records, no state.
#pragma once

#include <string>

#include "troupe/messages/job_record.hpp"

namespace troupe {

/// Names the first spec field in which `wanted` (a resubmitted spec, with
/// the node's defaults applied) differs from `stored`, the job that holds the
/// id, with both values where they are short; empty if the specs agree.
/// `run_at` is compared only while `stored` is on its first attempt, since
/// retry backoff moves it.
std::string first_spec_difference(const job_record& stored,
                                  const job_record& wanted);

} // namespace troupe
