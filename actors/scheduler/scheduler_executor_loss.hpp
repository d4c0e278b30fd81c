// The scheduler shell's part in losing an executor: its running attempts are
// re-queued through the state machine, and what was sent to it but may not
// have started is queued again.
#pragma once

#include <string>
#include <vector>

#include "troupe/actors/scheduler/scheduler.hpp"

namespace troupe {

/// Re-queues what ran on, or was sent to, `handle`, an executor on `node`
/// lost for `reason`; `dispatched` are the attempts last sent to it.
void executor_lost(
    scheduler_actor::stateful_pointer<scheduler_actor_state> self,
    const executor_actor& handle, const std::string& node,
    const std::string& reason, std::vector<job_dispatch>& dispatched);

} // namespace troupe
