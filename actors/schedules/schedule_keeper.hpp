// The schedule keeper actor: keeps periodic schedules in the store and fires
// each as an ordinary job through the scheduler, on one timer (no polling).
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "caf/typed_event_based_actor.hpp"

#include "troupe/actors/schedules/schedule_keeper_state.hpp"
#include "troupe/actors/wall_clock.hpp"
#include "troupe/messages/interfaces.hpp"
#include "troupe/storage/job_store.hpp"

namespace troupe {

struct schedule_keeper_actor_state {
  std::optional<schedule_keeper_state> machine;
  std::optional<wall_clock> clock;
  std::shared_ptr<job_store> store;
  /// Receives the fired jobs; unset until `arm`.
  scheduler_actor scheduler;
  /// Due time of the pending timer, if any.
  std::optional<int64_t> armed;
  static inline const char* name = "troupe.schedule_keeper";
};

/// Spawns with the schedules read from `store` at start. It writes schedules
/// to `store` itself (rarely, small values), so run it detached. `start_us`
/// is the wall time now; 0 reads the system clock (tests under a test clock
/// pass the time their other actors see).
schedule_keeper_actor::behavior_type schedule_keeper(
    schedule_keeper_actor::stateful_pointer<schedule_keeper_actor_state> self,
    std::shared_ptr<job_store> store, std::vector<periodic_schedule> stored,
    job_limits limits, int64_t start_us = 0);

} // namespace troupe
