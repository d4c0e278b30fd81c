// The link of an executor node to its coordinator: connects through CAF's
// middleman, hands the coordinator's actors to the local executors, and when
// the coordinator goes away tells them and reconnects with backoff.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "caf/typed_event_based_actor.hpp"
#include "caf/typed_response_promise.hpp"

#include "troupe/messages/interfaces.hpp"
#include "troupe/security/security_options.hpp"

namespace troupe {

/// Where and how an executor node joins.
struct coordinator_link_options {
  /// Address of the coordinator's gateway.
  std::string host;
  uint16_t port = 0;
  /// First delay before reconnecting; doubles per failure. Default: 250 ms.
  std::chrono::milliseconds first_backoff{250};
  /// Longest delay between reconnection attempts. Default: 5 s.
  std::chrono::milliseconds max_backoff{5000};
  /// This node's TLS files (empty without TLS): the certificate and key it
  /// logs in with.
  tls_files tls;
  /// Without TLS: where the coordinator's secret is; empty finds it through
  /// the pointer the coordinator left for this user.
  std::string secret_file;
  /// The coordinator's actors if the executors already serve it (spawned
  /// into a bare node): then it only watches them and rejoins once they are
  /// gone. Default: null handles, join at once.
  coordinator_peers joined;
};

struct coordinator_link_state {
  coordinator_link_options options;
  std::vector<executor_actor> executors;
  /// The coordinator's actors while joined; null handles otherwise.
  coordinator_peers peers;
  std::chrono::milliseconds backoff{0};
  bool connecting = false;
  /// Requests waiting for the first join.
  std::vector<caf::typed_response_promise<coordinator_peers>> waiting;
  static inline const char* name = "troupe.coordinator_link";
};

/// Starts joining at once.
coordinator_link_actor::behavior_type coordinator_link(
    coordinator_link_actor::stateful_pointer<coordinator_link_state> self,
    coordinator_link_options options, std::vector<executor_actor> executors);

} // namespace troupe
