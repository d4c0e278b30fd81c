// The uplink of one executor session: what an executor principal's
// executors report through. It checks the session's token on every message,
// lets them speak only of executors registered through it, and relays to the
// coordinator's local actors, which take nothing from other nodes.
#pragma once

#include <string>
#include <unordered_map>

#include "caf/typed_event_based_actor.hpp"

#include "troupe/messages/interfaces.hpp"

namespace troupe {

/// Whom an uplink speaks for.
struct uplink_identity {
  std::string principal;
  std::string token;
};

struct executor_uplink_state {
  coordinator_actors actors;
  uplink_identity identity;
  /// Executors registered through this uplink, by name.
  std::unordered_map<std::string, executor_actor> executors;
  static inline const char* name = "troupe.executor_uplink";
};

/// Relays the reports of one session's executors.
executor_uplink_actor::behavior_type executor_uplink(
    executor_uplink_actor::stateful_pointer<executor_uplink_state> self,
    coordinator_actors actors, uplink_identity identity);

} // namespace troupe
