// The gateway's single request, and the client side of connecting to it.
#include "actors/gateway.hpp"

#include "caf/io/middleman.hpp"
#include "caf/scoped_actor.hpp"

namespace troupe {

gateway_actor::behavior_type gateway(gateway_actor::pointer,
                                     scheduler_actor scheduler,
                                     status_reporter_actor reporter) {
  return {
      [=](get_atom) { return std::make_tuple(scheduler, reporter); },
  };
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
            result =
                remote_coordinator{std::move(scheduler), std::move(reporter)};
          },
          [&](caf::error& err) { result = std::move(err); });
  return result;
}

} // namespace troupe
