// The gateway: the one actor a coordinator publishes on its TCP port. Remote
// clients ask it for the scheduler and status reporter, then talk to those.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "caf/actor_system.hpp"
#include "caf/expected.hpp"
#include "caf/typed_event_based_actor.hpp"

#include "messages/interfaces.hpp"

namespace troupe {

/// Replies with the coordinator's public actors.
gateway_actor::behavior_type gateway(gateway_actor::pointer self,
                                     scheduler_actor scheduler,
                                     status_reporter_actor reporter);

/// The public actors of a remote coordinator.
struct remote_coordinator {
  scheduler_actor scheduler;
  status_reporter_actor reporter;
};

/// Connects to the gateway at `host:port` (the middleman must be loaded in
/// `sys`). Fails with CAF's error when nothing answers there.
caf::expected<remote_coordinator> connect_coordinator(
    caf::actor_system& sys, const std::string& host, uint16_t port,
    std::chrono::milliseconds timeout = std::chrono::seconds(5));

} // namespace troupe
