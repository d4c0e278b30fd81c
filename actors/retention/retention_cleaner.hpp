// The retention cleaner actor: every `interval` it asks persistence to purge
// terminal jobs that finished longer ago than the retention, and audit
// entries older than it. No polling loop: each cleanup ends by scheduling
// the next one on the actor clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>

#include "caf/typed_event_based_actor.hpp"

#include "troupe/actors/wall_clock.hpp"
#include "troupe/messages/interfaces.hpp"

namespace troupe {

/// When automatic cleanup runs and what it removes.
struct retention_policy {
  /// Terminal jobs (and their history) that finished longer ago than this
  /// are purged, and so are audit entries older than this. Default: 7 days.
  std::chrono::milliseconds retention = std::chrono::hours(7 * 24);
  /// Time between two cleanups; 0 turns automatic cleanup off. Default: 1 h.
  std::chrono::milliseconds interval = std::chrono::hours(1);

  /// Whether cleanups run at all.
  bool enabled() const { return interval.count() > 0; }

  /// Jobs that finished before the returned time are purged at `now_us`.
  int64_t cutoff_us(int64_t now_us) const {
    return now_us -
           std::chrono::duration_cast<std::chrono::microseconds>(retention)
               .count();
  }
};

/// Told after each automatic cleanup that purged something: how many jobs
/// and the cutoff (microseconds since the epoch) they finished before.
using purge_observer = std::function<void(uint64_t purged, int64_t cutoff_us)>;

struct retention_cleaner_state {
  retention_policy policy;
  persistence_actor persistence;
  purge_observer observer;
  std::optional<wall_clock> clock;
  static inline const char* name = "troupe.retention_cleaner";
};

/// Spawns the cleaner; the first cleanup runs one `interval` after start.
/// Does nothing (and stays idle) when the policy is not enabled.
retention_cleaner_actor::behavior_type retention_cleaner(
    retention_cleaner_actor::stateful_pointer<retention_cleaner_state> self,
    retention_policy policy, persistence_actor persistence,
    purge_observer observer);

} // namespace troupe
