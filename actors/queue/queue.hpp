// The queue actor: holds ready jobs (queue_state) and dispatches them to
// executors that pulled credit for their type, so no executor is flooded.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "caf/typed_event_based_actor.hpp"

#include "troupe/actors/queue/queue_state.hpp"
#include "troupe/actors/wall_clock.hpp"
#include "troupe/messages/interfaces.hpp"

namespace troupe {

/// An executor's standing demand.
struct executor_credit {
  executor_actor handle;
  std::vector<std::string> types;
  uint32_t credits = 0;
  /// The announcement the credits belong to (see `demand`).
  uint64_t epoch = 0;
  /// The most credits it ever held: as many attempts as it may have been
  /// sent but not started yet.
  uint32_t window = 0;
  /// The last `window` attempts dispatched to it, oldest first. An executor
  /// starts attempts in the order it receives them, so those it never
  /// started are among these.
  std::deque<job_dispatch> recent;
};

struct queue_actor_state {
  queue_state jobs;
  std::vector<executor_credit> executors;
  /// Round-robin start, so executors share work.
  size_t next_executor = 0;
  std::optional<wall_clock> clock;
  /// Due time of the pending token wake-up, if any.
  std::optional<int64_t> armed_wake;
  static inline const char* name = "troupe.queue";
};

/// Executors announce themselves with their first `demand`; the cluster
/// registry reports their loss, not the queue's own monitoring.
queue_actor::behavior_type
queue(queue_actor::stateful_pointer<queue_actor_state> self,
      queue_config config);

} // namespace troupe
