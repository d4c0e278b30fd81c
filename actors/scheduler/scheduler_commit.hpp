// The scheduler's persist-then-act pipeline: a flush sends the state
// machine's writes to persistence; an acknowledgement releases the effects
// and replies held with that batch, in order. A failed write or an
// acknowledgement out of order stops the scheduler (fail-stop).
#pragma once

#include <cstdint>

#include "troupe/actors/scheduler/scheduler.hpp"

namespace troupe {

/// Sends the writes collected since the last flush to persistence, holding
/// their effects and replies; acts at once when nothing needs writing and
/// nothing is ahead.
void flush(scheduler_actor::stateful_pointer<scheduler_actor_state> self);

/// Persistence acknowledged batch `ticket` (`err` if the write failed).
/// Performs its effects and replies; on `err`, or a ticket other than the
/// oldest in flight, replies the error to everything waiting and quits
/// with it.
void persisted(scheduler_actor::stateful_pointer<scheduler_actor_state> self,
               uint64_t ticket, const caf::error& err);

} // namespace troupe
