// A guard in front of a node's BASP port. CAF 0.17's BASP broker allocates
// whatever payload a header announces, before any handshake and without a
// limit of its own; the guard owns the public port, checks every header a
// peer sends, drops a connection that announces too much, and forwards the
// rest unchanged to the real BASP port on loopback.
#pragma once

#include <cstdint>
#include <string>

#include "caf/actor.hpp"
#include "caf/actor_system.hpp"
#include "caf/expected.hpp"

#include "troupe/actors/cluster/basp_framing.hpp"

namespace troupe::detail {

/// Bounds of the guard; every default is stated here.
struct basp_guard_options {
  /// What one message may announce.
  basp_limits limits;
  /// Connections at once; more are closed as they arrive. Default: 1024.
  size_t max_connections = 1024;
  /// Largest read from a peer at a time, so a read never allocates more.
  /// Default: 64 KiB.
  size_t read_chunk = 64 * 1024;
};

/// A running guard: stop it by sending an exit message to `broker`.
struct basp_guard {
  caf::actor broker;
  /// The public port it listens on.
  uint16_t port = 0;
};

/// Listens on `host:port` (0: a free port) and forwards every connection to
/// the BASP port `backend_port` on 127.0.0.1. Fails with CAF's error if it
/// cannot listen there.
caf::expected<basp_guard> open_basp_guard(caf::actor_system& sys,
                                          const std::string& host,
                                          uint16_t port, uint16_t backend_port,
                                          basp_guard_options options = {});

} // namespace troupe::detail
