// The gateway: the one actor a coordinator publishes on its TCP port. Remote
// clients ask it for the scheduler and status reporter; executor nodes ask it
// where to register, pull and report.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/expected.hpp"
#include "caf/typed_event_based_actor.hpp"

#include "troupe/messages/interfaces.hpp"

namespace troupe {

/// Replies with the coordinator's public actors.
gateway_actor::behavior_type gateway(gateway_actor::pointer self,
                                     coordinator_peers peers);

/// Loads CAF's middleman into `cfg` with a heartbeat every fifth of `timeout`
/// and connections dropped after `timeout` of silence, so that a peer that
/// died, or whose network went away, is detected. Every troupe process that
/// talks to another one uses this, since a peer without heartbeats would be
/// dropped as silent.
void load_middleman(caf::actor_system_config& cfg,
                    std::chrono::milliseconds timeout);

/// The public actors of a remote coordinator.
struct remote_coordinator {
  scheduler_actor scheduler;
  status_reporter_actor reporter;
  gateway_actor gateway;
};

/// Connects to the gateway at `host:port` (the middleman must be loaded in
/// `sys`). Fails with CAF's error when nothing answers there.
caf::expected<remote_coordinator> connect_coordinator(
    caf::actor_system& sys, const std::string& host, uint16_t port,
    std::chrono::milliseconds timeout = std::chrono::seconds(5));

} // namespace troupe
