// A client that connects to a coordinator's port the way the CLI does and
// then sends what no well-behaved peer would: null handles, out-of-range
// fields. Tests use it to show that such a message cannot take a node down.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/scoped_actor.hpp"

#include "troupe/actors/cluster/gateway.hpp"
#include "troupe/actors/cluster/login.hpp"
#include "troupe/messages/interfaces.hpp"

namespace troupe::test {

/// A second actor system joined to the coordinator at `host:port`.
class hostile_client {
public:
  /// Connects and logs in with the coordinator's secret (REQUIREs
  /// success), then joins as an executor node would.
  explicit hostile_client(uint16_t port, const std::string& host = "127.0.0.1");

  ~hostile_client();

  caf::actor_system& system() { return *system_; }

  /// The actor that sends every message of this client.
  caf::scoped_actor& self() { return *self_; }

  /// The coordinator's gateway, and the token of this client's session.
  const gateway_actor& gateway() const { return coordinator_.gateway; }
  const std::string& token() const { return coordinator_.session.token; }

  /// The uplink and token an executor node gets on `join`.
  const coordinator_peers& peers() const { return peers_; }

  /// Waits until the registry processed everything this client sent its
  /// uplink before: asks for a spawn it must refuse, and returns the error.
  std::string sync_with_registry();

  /// Submits a job of `type` and returns its id; empty if the coordinator
  /// did not answer within `timeout`.
  std::string
  submit(const std::string& type,
         std::chrono::milliseconds timeout = std::chrono::seconds(30));

private:
  std::unique_ptr<caf::actor_system_config> config_;
  std::unique_ptr<caf::actor_system> system_;
  std::unique_ptr<caf::scoped_actor> self_;
  remote_coordinator coordinator_;
  coordinator_peers peers_;
};

} // namespace troupe::test
