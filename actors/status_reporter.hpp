// The status reporter actor: the read side. Keeps statistics and the worker
// table, fans events out to subscribers, and serves reads from persistence.
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "caf/typed_event_based_actor.hpp"

#include "actors/job_statistics.hpp"
#include "messages/interfaces.hpp"

namespace troupe {

struct status_reporter_state {
  persistence_actor persistence;
  /// Asked for the jobs that limits and pauses hold back.
  queue_actor queue;
  job_statistics stats;
  /// Subscribers per job id, per type, and to everything.
  std::unordered_map<std::string, std::vector<caf::actor>> by_job;
  std::unordered_map<std::string, std::vector<caf::actor>> by_type;
  std::vector<caf::actor> to_all;
  /// Last heartbeat per executor name.
  std::map<std::string, executor_info> workers;
  static inline const char* name = "troupe.status_reporter";
};

/// `stats` starts as seeded with what the store holds at start.
status_reporter_actor::behavior_type status_reporter(
    status_reporter_actor::stateful_pointer<status_reporter_state> self,
    persistence_actor persistence, job_statistics stats, queue_actor queue);

} // namespace troupe
