// The scheduler's handling of dispatch controls: each change is validated,
// stored by persistence, then applied and handed to the queue, and only then
// answered. Part of the scheduler shell; no state of its own.
#pragma once

#include <string>
#include <vector>

#include "troupe/actors/scheduler/scheduler.hpp"

namespace troupe {

/// The scheduler as its handlers see it.
using scheduler_self = scheduler_actor::stateful_pointer<scheduler_actor_state>;

/// A reply carrying every control in force after a change.
using controls_promise = caf::typed_response_promise<dispatch_controls>;

/// Adopts the controls read from the store at start.
void adopt_controls(scheduler_self self, dispatch_controls controls);

/// Validates, stores and applies `limit`.
void set_limit(scheduler_self self, dispatch_limit limit, controls_promise rp);

/// Stores and applies the removal of a limit; unknown ones are not_found.
void clear_limit(scheduler_self self, control_scope scope,
                 const std::string& key, controls_promise rp);

/// Pauses or resumes a type or a job (which must exist and, for a pause,
/// not have ended).
void set_paused(scheduler_self self, control_scope scope,
                const std::string& key, bool paused, controls_promise rp);

/// Drops the pauses of jobs that reached a terminal status.
void forget_paused(scheduler_self self, const std::vector<std::string>& ids);

} // namespace troupe
