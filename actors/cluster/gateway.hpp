// The gateway: the one actor a coordinator publishes on its port. A caller
// logs in (the secret of loopback clients, or a certificate of the cluster's
// CA and a signed challenge) and gets a session token; every later request
// carries it, is checked against the principal's roles and only then relayed
// to a local actor, which takes messages from its own node only.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "caf/actor_addr.hpp"
#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/expected.hpp"
#include "caf/typed_event_based_actor.hpp"

#include "troupe/actors/cluster/access_rules.hpp"
#include "troupe/messages/interfaces.hpp"

namespace troupe {

/// What a gateway checks callers against and relays to.
struct gateway_settings {
  coordinator_actors actors;
  /// Where audit entries go (may be null: none are kept).
  audit_recorder_actor audit;
  /// The secret of loopback clients; empty: no secret logins.
  std::string secret;
  /// Who a secret login speaks for: the server's user.
  std::string secret_principal;
  /// The cluster CA's certificate (PEM); empty: no certificate logins.
  std::string ca_pem;
  access_control_list acl;
  /// Most sessions open at once; a login beyond is refused. Default: 10,000.
  size_t max_sessions = 10'000;
};

/// One logged-in caller.
struct gateway_session {
  std::string principal;
  std::vector<role> roles;
  /// The actor that logged in: the session ends when it goes away.
  caf::actor_addr holder;
  /// Its uplink once an executor principal joined.
  executor_uplink_actor uplink;
};

struct gateway_state {
  gateway_settings settings;
  /// By token.
  std::unordered_map<std::string, gateway_session> sessions;
  /// Challenges handed out and not yet used, with their expiry (ms of the
  /// actor clock since its epoch).
  std::unordered_map<std::string, int64_t> challenges;
  static inline const char* name = "troupe.gateway";
};

using gateway_pointer = gateway_actor::stateful_pointer<gateway_state>;

/// Serves logins and relays the requests of sessions.
gateway_actor::behavior_type gateway(gateway_pointer self,
                                     gateway_settings settings);

/// The session of `token`, or null (the request is then refused).
const gateway_session* find_session(gateway_pointer self,
                                    const std::string& token);

/// The refusal of `principal` doing `what`, e.g. "principal bob may not
/// cancel job j1: needs role operator or ownership".
caf::error forbidden(const std::string& principal, const std::string& what,
                     guarded_action action);

/// Appends one entry to the audit trail.
void audit(gateway_pointer self, const std::string& principal,
           const std::string& action, const std::string& target,
           const caf::error& outcome);

/// Loads CAF's middleman into `cfg` with a heartbeat every fifth of `timeout`
/// and connections dropped after `timeout` of silence, so that a peer that
/// died, or whose network went away, is detected. Every troupe process that
/// talks to another one uses this, since a peer without heartbeats would be
/// dropped as silent.
void load_middleman(caf::actor_system_config& cfg,
                    std::chrono::milliseconds timeout);

} // namespace troupe
