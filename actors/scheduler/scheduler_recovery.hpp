// The scheduler shell's part in a start: it takes over the store's unfinished
// jobs one page at a time while it already serves. Running jobs come first
// (they are queued again), then queued and scheduled ones; waiting jobs come
// last and together, once every job they may wait for is held or looked up.
// Until then, work that names a job the scheduler does not hold waits.
#pragma once

#include "caf/error.hpp"

#include "troupe/actors/scheduler/scheduler.hpp"

namespace troupe {

/// Starts taking over the store's unfinished jobs, unless that is under way.
void begin_recovery(
    scheduler_actor::stateful_pointer<scheduler_actor_state> self);

/// Stops taking over jobs (the node stops) and refuses the deferred work
/// with `reason`.
void abandon_recovery(
    scheduler_actor::stateful_pointer<scheduler_actor_state> self,
    const caf::error& reason);

} // namespace troupe
