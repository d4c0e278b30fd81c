// The scheduler's retry of every dead letter matching a filter: pages
// through the store's listing, then retries what it found as new attempts.
// Part of the scheduler shell; no state of its own.
#pragma once

#include <string>
#include <vector>

#include "troupe/actors/scheduler/scheduler.hpp"

namespace troupe {

/// The reply to a retry by filter: the ids retried.
using retry_promise = caf::typed_response_promise<std::vector<std::string>>;

/// Retries failed or cancelled job `id` as a new attempt, once it and its
/// dependencies were read from the store where the scheduler does not know
/// them (after a restart, completed dependencies are only there). The
/// history names `principal`.
caf::typed_response_promise<job_status>
retry_one(scheduler_actor::stateful_pointer<scheduler_actor_state> self,
          const std::string& id, const std::string& principal);

/// Validates `query`, finds the matching failed or cancelled jobs (at most
/// `query.limit`) and retries them; replies once the new attempts are durable.
retry_promise
retry_matching(scheduler_actor::stateful_pointer<scheduler_actor_state> self,
               job_query query, const std::string& principal);

} // namespace troupe
