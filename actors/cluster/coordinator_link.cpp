// Joining a coordinator without blocking: the middleman actor connects, the
// gateway answers with the coordinator's actors, the scheduler is monitored.
#include "troupe/actors/cluster/coordinator_link.hpp"

#include <algorithm>

#include "caf/io/middleman.hpp"

#include "troupe/actors/cluster/cluster_input.hpp"
#include "troupe/actors/cluster/login.hpp"
#include "troupe/logging/log.hpp"
#include "troupe/messages/errc.hpp"

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
  self->monitor(peers.uplink);
  for (auto& ex : st.executors)
    self->send(ex, join_atom_v, peers);
  for (auto& rp : st.waiting)
    rp.deliver(peers);
  st.waiting.clear();
  log_info("troupe: joined the coordinator at ", where(self));
}

/// A refusal no retry mends (wrong credentials, a missing role): those
/// waiting for the first join learn it at once; retries go on, since an
/// operator may fix the ACL meanwhile.
void refused(self_ptr self, const caf::error& err) {
  auto& st = self->state;
  for (auto& rp : st.waiting)
    rp.deliver(err);
  st.waiting.clear();
  retry_later(self, err);
}

void fail(self_ptr self, const caf::error& err) {
  if (code_of(err) == errc::forbidden)
    refused(self, err);
  else
    retry_later(self, err);
}

/// Logs in with the node's credentials, then asks for an uplink.
void log_in(self_ptr self, gateway_actor gateway,
            const std::string& challenge) {
  auto& opts = self->state.options;
  auto material =
      load_login_material(opts.tls, opts.secret_file, opts.host, opts.port);
  if (!material)
    return fail(self, material.error());
  credentials creds;
  try {
    creds = answer_challenge(*material, challenge);
  } catch (const std::exception& err) {
    return fail(self, make_error(errc::forbidden, err.what()));
  }
  self->request(gateway, connect_timeout, login_atom_v, creds)
      .then(
          [=](session_grant& grant) {
            self->request(gateway, connect_timeout, grant.token, join_atom_v)
                .then([=](coordinator_peers& peers) { joined(self, peers); },
                      [=](caf::error& err) { fail(self, err); });
          },
          [=](caf::error& err) { fail(self, err); });
}

void greet(self_ptr self, gateway_actor gateway) {
  if (!self->state.options.tls.enabled())
    return log_in(self, gateway, "");
  self->request(gateway, connect_timeout, hello_atom_v)
      .then([=](std::string& challenge) { log_in(self, gateway, challenge); },
            [=](caf::error& err) { fail(self, err); });
}

void connect(self_ptr self) {
  auto& st = self->state;
  if (st.connecting || st.peers.uplink)
    return;
  st.connecting = true;
  auto mm = connector(self->system());
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
            greet(self, gateway);
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
    if (!st.peers.uplink || msg.source != st.peers.uplink.address())
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
    self->monitor(st.peers.uplink);
  }
  return {
      [=](connect_atom) { connect(self); },
      [=](get_atom) {
        auto rp = self->make_response_promise<coordinator_peers>();
        if (self->state.peers.uplink)
          rp.deliver(self->state.peers);
        else
          self->state.waiting.push_back(rp);
        return rp;
      },
  };
}

} // namespace troupe
