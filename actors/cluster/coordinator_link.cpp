// Joining a coordinator without blocking: the middleman actor connects, the
// gateway answers with the coordinator's actors, the scheduler is monitored.
#include "troupe/actors/cluster/coordinator_link.hpp"

#include <algorithm>

#include "caf/io/middleman.hpp"

#include "troupe/actors/cluster/cluster_input.hpp"
#include "troupe/logging/log.hpp"

namespace troupe {

namespace {

using self_ptr =
    coordinator_link_actor::stateful_pointer<coordinator_link_state>;

constexpr auto connect_timeout = std::chrono::seconds(10);

std::string where(self_ptr self) {
  return self->state.options.host + ":" +
         std::to_string(self->state.options.port);
}

void retry_later(self_ptr self, const caf::error& err) {
  auto& st = self->state;
  st.connecting = false;
  log_warn("troupe: cannot join the coordinator at ", where(self), " (",
           to_string(err), "); retrying in ", st.backoff.count(), " ms");
  self->delayed_send(self, st.backoff, connect_atom_v);
  st.backoff = std::min(st.backoff * 2, st.options.max_backoff);
}

void joined(self_ptr self, coordinator_peers peers) {
  if (auto err = check_peers(peers)) {
    retry_later(self, err);
    return;
  }
  auto& st = self->state;
  st.connecting = false;
  st.backoff = st.options.first_backoff;
  st.peers = peers;
  self->monitor(peers.scheduler);
  for (auto& ex : st.executors)
    self->send(ex, join_atom_v, peers);
  for (auto& rp : st.waiting)
    rp.deliver(peers);
  st.waiting.clear();
  log_info("troupe: joined the coordinator at ", where(self));
}

void connect(self_ptr self) {
  auto& st = self->state;
  if (st.connecting || st.peers.scheduler)
    return;
  st.connecting = true;
  auto mm = self->system().middleman().actor_handle();
  self->request(mm, connect_timeout, connect_atom_v, st.options.host,
                st.options.port)
      .then(
          [=](caf::node_id&, caf::strong_actor_ptr& ptr,
              std::set<std::string>&) {
            auto gateway = caf::actor_cast<gateway_actor>(ptr);
            if (!gateway) {
              retry_later(self,
                          make_error(caf::sec::no_actor_published_at_port));
              return;
            }
            self->request(gateway, connect_timeout, join_atom_v)
                .then([=](coordinator_peers& peers) { joined(self, peers); },
                      [=](caf::error& err) { retry_later(self, err); });
          },
          [=](caf::error& err) { retry_later(self, err); });
}

} // namespace

coordinator_link_actor::behavior_type coordinator_link(
    coordinator_link_actor::stateful_pointer<coordinator_link_state> self,
    coordinator_link_options options, std::vector<executor_actor> executors) {
  auto& st = self->state;
  st.options = std::move(options);
  st.executors = std::move(executors);
  st.backoff = st.options.first_backoff;
  self->set_down_handler([=](caf::down_msg& msg) {
    auto& st = self->state;
    if (!st.peers.scheduler || msg.source != st.peers.scheduler.address())
      return;
    log_warn("troupe: lost the coordinator at ", where(self), " (",
             to_string(msg.reason), "); reconnecting");
    st.peers = coordinator_peers{};
    for (auto& ex : st.executors)
      self->send(ex, leave_atom_v);
    self->delayed_send(self, st.backoff, connect_atom_v);
  });
  if (check_peers(st.options.joined)) {
    self->send(self, connect_atom_v);
  } else {
    st.peers = st.options.joined;
    self->monitor(st.peers.scheduler);
  }
  return {
      [=](connect_atom) { connect(self); },
      [=](get_atom) {
        auto rp = self->make_response_promise<coordinator_peers>();
        if (self->state.peers.scheduler)
          rp.deliver(self->state.peers);
        else
          self->state.waiting.push_back(rp);
        return rp;
      },
  };
}

} // namespace troupe
