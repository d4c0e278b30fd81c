// The audit recorder actor: collects audit entries from local actors and
// appends them to persistence in batches, one append in flight at a time.
// Local only: it is never published or handed to another node.
#pragma once

#include <optional>
#include <vector>

#include "caf/typed_event_based_actor.hpp"
#include "caf/typed_response_promise.hpp"

#include "troupe/actors/audit/audit_buffer.hpp"
#include "troupe/actors/wall_clock.hpp"
#include "troupe/messages/interfaces.hpp"

namespace troupe {

struct audit_recorder_state {
  persistence_actor persistence;
  /// Entries for the next append.
  audit_buffer pending;
  /// Callers waiting for the next append (entries they sent, or a flush).
  std::vector<caf::typed_response_promise<ok_atom>> pending_waiters;
  /// Callers waiting for the append in flight.
  std::vector<caf::typed_response_promise<ok_atom>> flight_waiters;
  bool in_flight = false;
  bool commit_scheduled = false;
  std::optional<wall_clock> clock;
  static inline const char* name = "troupe.audit_recorder";
};

/// Spawns the recorder of the node whose store `persistence` owns.
audit_recorder_actor::behavior_type audit_recorder(
    audit_recorder_actor::stateful_pointer<audit_recorder_state> self,
    persistence_actor persistence);

} // namespace troupe
