// The queue actor: holds ready jobs (queue_state) and dispatches them to
// executors that pulled credit for their type, so no executor is flooded.
#pragma once

#include <optional>

#include "caf/typed_event_based_actor.hpp"

#include "troupe/actors/cluster/cluster_input.hpp"
#include "troupe/actors/cluster/local_only.hpp"
#include "troupe/actors/queue/executor_credits.hpp"
#include "troupe/actors/queue/queue_state.hpp"
#include "troupe/actors/wall_clock.hpp"
#include "troupe/messages/interfaces.hpp"

namespace troupe {

struct queue_actor_state {
  queue_state jobs;
  /// Each executor's credits and loss window.
  executor_credits<executor_actor> executors{remote_input_limits::max_credits};
  std::optional<wall_clock> clock;
  /// Due time of the pending token wake-up, if any.
  std::optional<int64_t> armed_wake;
  static inline const char* name = "troupe.queue";
};

/// Executors announce themselves with their first `demand`; the cluster
/// registry reports their loss, not the queue's own monitoring.
queue_actor::behavior_type
queue(local_only_pointer<queue_actor, queue_actor_state> self,
      queue_config config);

} // namespace troupe
