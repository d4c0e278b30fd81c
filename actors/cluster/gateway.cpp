// The gateway's requests, and the client side of connecting to it.
#include "troupe/actors/cluster/gateway.hpp"
#include "troupe/messages/request_timeouts.hpp"

#include "caf/io/middleman.hpp"
#include "caf/scoped_actor.hpp"

namespace troupe {

namespace {

constexpr auto spawn_timeout = troupe::request_timeouts::gateway_spawn;

} // namespace

gateway_actor::behavior_type gateway(gateway_actor::pointer self,
                                     coordinator_peers peers) {
  return {
      [=](get_atom) {
        return std::make_tuple(peers.scheduler, peers.reporter);
      },
      [=](join_atom) { return peers; },
      [=](spawn_atom, const spawn_request& request) {
        auto rp = self->make_response_promise<std::string>();
        self->request(peers.registry, spawn_timeout, spawn_atom_v, request)
            .then([rp](std::string& name) mutable { rp.deliver(name); },
                  [rp](caf::error& err) mutable { rp.deliver(err); });
        return rp;
      },
  };
}

void load_middleman(caf::actor_system_config& cfg,
                    std::chrono::milliseconds timeout) {
  cfg.load<caf::io::middleman>();
  cfg.set("middleman.heartbeat-interval", caf::timespan{timeout / 5});
  cfg.set("middleman.connection-timeout", caf::timespan{timeout});
}

caf::expected<remote_coordinator>
connect_coordinator(caf::actor_system& sys, const std::string& host,
                    uint16_t port, std::chrono::milliseconds timeout) {
  auto front = sys.middleman().remote_actor<gateway_actor>(host, port);
  if (!front)
    return front.error();
  caf::scoped_actor self{sys};
  caf::expected<remote_coordinator> result{remote_coordinator{}};
  self->request(*front, timeout, get_atom_v)
      .receive(
          [&](scheduler_actor& scheduler, status_reporter_actor& reporter) {
            result = remote_coordinator{std::move(scheduler),
                                        std::move(reporter), *front};
          },
          [&](caf::error& err) { result = std::move(err); });
  return result;
}

} // namespace troupe
