// The cluster registry: every executor, local or on another node, registers
// here and is monitored. When one is lost (its process died, its connection
// was cut, or it fell silent past the middleman's connection timeout), the
// queue forgets it and the scheduler re-queues what it was running.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "caf/actor_addr.hpp"
#include "caf/typed_event_based_actor.hpp"
#include "caf/typed_response_promise.hpp"

#include "troupe/actors/cluster/local_only.hpp"
#include "troupe/messages/interfaces.hpp"
#include "troupe/security/security_options.hpp"

namespace troupe {

/// One registered executor.
struct cluster_member_entry {
  executor_actor handle;
  executor_info info;
};

/// The uplink of an executor spawned into a bare node, stopped with it.
struct spawned_uplink {
  executor_uplink_actor uplink;
  /// The token the executor reports to the uplink with.
  std::string token;
  executor_actor executor;
};

/// Registered executors and spawns waiting for their executor to register.
struct cluster_registry_state {
  coordinator_actors peers;
  /// This coordinator's TLS files (empty without TLS): the key signs its
  /// spawns into bare nodes.
  tls_files tls;
  /// The uplinks of executors spawned into bare nodes, stopped with them.
  std::unordered_map<caf::actor_addr, spawned_uplink> spawned_uplinks;
  std::unordered_map<caf::actor_addr, cluster_member_entry> members;
  /// Executors spawned into bare nodes that have not registered yet.
  std::unordered_map<caf::actor_addr, caf::typed_response_promise<std::string>>
      spawning;
  /// Executors that refused to serve before their spawn was answered.
  std::unordered_map<caf::actor_addr, caf::error> refused;
  static inline const char* name = "troupe.cluster_registry";
};

/// Name under which bare nodes offer executors to remote_spawn.
constexpr const char* remote_executor_type = "troupe.executor";

/// `peers.registry` is ignored: the registry hands out its own handle.
cluster_registry_actor::behavior_type cluster_registry(
    local_only_pointer<cluster_registry_actor, cluster_registry_state> self,
    coordinator_actors peers, tls_files tls);

} // namespace troupe
