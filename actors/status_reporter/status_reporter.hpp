// The status reporter actor: the read side. Keeps statistics and the worker
// table, fans events out to subscribers, and serves reads from persistence.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "caf/typed_event_based_actor.hpp"

#include "troupe/actors/cluster/local_only.hpp"
#include "troupe/actors/status_reporter/job_statistics.hpp"
#include "troupe/actors/status_reporter/subscription_table.hpp"
#include "troupe/messages/interfaces.hpp"

namespace troupe {

/// Settings of the status reporter.
struct status_reporter_config {
  /// Most distinct subscriptions one subscriber may hold; a subscription it
  /// already holds is folded and does not count twice. Default: 10,000 (one
  /// per job of the largest batch).
  size_t max_subscriptions_per_subscriber = 10'000;
};

struct status_reporter_state {
  persistence_actor persistence;
  /// Asked for the jobs that limits and pauses hold back.
  queue_actor queue;
  /// Where the control actions this actor serves (cleanup, backup) are
  /// recorded; null records nothing.
  audit_recorder_actor audit;
  job_statistics stats;
  /// Subscribers by address: the table holds no strong reference, so a
  /// subscriber that is gone is skipped until its down message removes it.
  subscription_table<caf::actor_addr> subscriptions{0};
  /// Last heartbeat per executor name.
  std::map<std::string, executor_info> workers;
  static inline const char* name = "troupe.status_reporter";
};

/// `stats` starts as seeded with what the store holds at start.
status_reporter_actor::behavior_type status_reporter(
    local_only_pointer<status_reporter_actor, status_reporter_state> self,
    persistence_actor persistence, job_statistics stats, queue_actor queue,
    status_reporter_config config, audit_recorder_actor audit);

} // namespace troupe
