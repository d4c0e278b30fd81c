// The vocabulary of clustering: what a coordinator asks of a bare node when it
// spawns an executor there. No behaviour.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "caf/meta/type_name.hpp"

namespace troupe {

/// Settings of an executor that a coordinator spawns into a bare node.
/// Silence after which a peer process counts as lost, unless told
/// otherwise (CAF's middleman sends heartbeats every fifth of it).
constexpr std::chrono::milliseconds default_heartbeat_timeout{10'000};

/// How long a node waits for its first join of a coordinator, unless told
/// otherwise.
constexpr std::chrono::milliseconds default_join_timeout{10'000};

/// Attempts an executor runs at once unless told otherwise.
constexpr uint32_t default_executor_slots = 4;

struct executor_settings {
  /// Name in the worker table and the history; empty lets the node choose.
  std::string name;
  /// Attempts it runs at once.
  uint32_t slots = default_executor_slots;
  /// Job types it takes; empty takes every type the node has a handler for.
  std::vector<std::string> types;
  /// "HOST:PORT" at which the bare node reaches the coordinator again when
  /// it loses it (e.g. a restart), so the executor rejoins; empty: the
  /// executor stays idle once its coordinator is gone.
  std::string coordinator;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, executor_settings& x) {
  return f(caf::meta::type_name("troupe::executor_settings"), x.name, x.slots,
           x.types, x.coordinator);
}

/// Asks a coordinator to spawn an executor into the bare node at host:port.
struct spawn_request {
  std::string host;
  uint16_t port = 0;
  executor_settings settings;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, spawn_request& x) {
  return f(caf::meta::type_name("troupe::spawn_request"), x.host, x.port,
           x.settings);
}

} // namespace troupe
