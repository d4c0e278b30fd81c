// A guard in front of a node's BASP broker. CAF 0.17's BASP broker allocates
// whatever payload a header announces, before any handshake and without a
// limit of its own, and believes the source node a routed message names;
// the guard owns the public port, checks every header a peer sends, drops a
// connection that announces too much or routes, and hands the rest to the
// BASP broker over a socket pair of its own, so no BASP port is open to
// anyone but the guard.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "caf/actor.hpp"
#include "caf/actor_system.hpp"
#include "caf/expected.hpp"
#include "caf/fwd.hpp"

#include "troupe/actors/cluster/basp_framing.hpp"
#include "troupe/messages/interfaces.hpp"
#include "troupe/security/tls_stream.hpp"

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
  /// Mutual TLS on every connection (null: plain TCP): a peer gets through
  /// to BASP only once its certificate of the cluster's CA is verified.
  std::shared_ptr<const tls_server_context> tls;
  /// Where refused connections are audited (may be null).
  audit_recorder_actor audit;
};

/// What BASP peers find behind the guard.
struct basp_backend {
  /// CAF's BASP broker of this node.
  caf::actor broker;
  /// The actor a peer's `remote_actor` reaches (may be null: a bare node
  /// publishes none) and its interface.
  caf::strong_actor_ptr published;
  std::set<std::string> signatures;
};

/// A running guard: stop it by sending an exit message to `broker`.
struct basp_guard {
  caf::actor broker;
  /// The public port it listens on.
  uint16_t port = 0;
};

/// Listens on `host:port` (0: a free port) and hands every connection to
/// `backend`. Fails with CAF's error if it cannot listen there.
caf::expected<basp_guard> open_basp_guard(caf::actor_system& sys,
                                          const std::string& host,
                                          uint16_t port, basp_backend backend,
                                          basp_guard_options options = {});

/// The backend of `sys` publishing `whom` (null: nothing) with the
/// interface `signatures`.
basp_backend make_basp_backend(caf::actor_system& sys,
                               caf::strong_actor_ptr whom,
                               std::set<std::string> signatures);

} // namespace troupe::detail
