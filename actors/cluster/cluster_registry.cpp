// Membership and loss of executors; remote spawns into bare nodes through
// CAF's middleman actor, so the registry never blocks.
#include "troupe/actors/cluster/cluster_registry.hpp"
#include "troupe/messages/request_timeouts.hpp"

#include "caf/exit_reason.hpp"
#include "caf/io/middleman.hpp"

#include "troupe/actors/cluster/cluster_input.hpp"
#include "troupe/actors/cluster/executor_uplink.hpp"
#include "troupe/actors/cluster/login.hpp"
#include "troupe/logging/log.hpp"
#include "troupe/messages/errc.hpp"
#include "troupe/security/credentials.hpp"

namespace troupe {

namespace {

using self_ptr =
    cluster_registry_actor::stateful_pointer<cluster_registry_state>;

constexpr auto queue_timeout = std::chrono::seconds(10);
constexpr auto connect_timeout = std::chrono::seconds(10);
constexpr auto spawn_timeout = troupe::request_timeouts::registry_spawn;
/// Refusals waiting for their spawn's answer; more are not remembered, so
/// a stream of refusals cannot grow the registry.
constexpr size_t max_refusals_kept = 1024;

std::string describe(const caf::error& reason) {
  if (reason == caf::exit_reason::remote_link_unreachable)
    return "connection lost";
  if (!reason)
    return "stopped";
  return to_string(reason);
}

/// How long a refusal from a spawned executor that quit at once may lag
/// behind the down message that reports its end.
constexpr auto refusal_grace = std::chrono::seconds(2);

constexpr const char* stopped_early =
    "the spawned executor stopped before it registered: ";

void stop_uplink(self_ptr self, const caf::actor_addr& executor) {
  auto& uplinks = self->state.spawned_uplinks;
  if (auto u = uplinks.find(executor); u != uplinks.end()) {
    self->send_exit(u->second.uplink, caf::exit_reason::user_shutdown);
    uplinks.erase(u);
  }
}

void lost(self_ptr self, const caf::down_msg& msg) {
  auto& st = self->state;
  if (auto i = st.spawning.find(msg.source); i != st.spawning.end()) {
    auto u = st.spawned_uplinks.find(msg.source);
    // A bare node refuses settings it cannot serve by stopping the executor
    // with a troupe error: pass that on as it is.
    if (msg.reason.category() == errc_category) {
      i->second.deliver(msg.reason);
      st.spawning.erase(i);
    } else if (u != st.spawned_uplinks.end()) {
      // An executor that quit before its spawn was answered leaves an
      // unknown reason; the refusal it sent first may still be on its way
      // (the bare node's broker can send the down message ahead of it).
      // This note takes the same path a little later, and `refused`
      // answers with whichever comes first.
      self->delayed_send(u->second.uplink, refusal_grace, u->second.token,
                         register_atom_v, u->second.executor,
                         make_error(errc::node_unreachable,
                                    stopped_early + describe(msg.reason)));
      return;
    } else {
      i->second.deliver(make_error(errc::node_unreachable,
                                   stopped_early + describe(msg.reason)));
      st.spawning.erase(i);
    }
  }
  stop_uplink(self, msg.source);
  auto i = st.members.find(msg.source);
  if (i == st.members.end())
    return;
  auto entry = std::move(i->second);
  st.members.erase(i);
  auto reason = describe(msg.reason);
  if (entry.handle.node() != self->node())
    log_warn("troupe: lost executor ", entry.info.name, " on node ",
             entry.info.node, " (", reason, ")");
  self->send(st.peers.reporter, lost_atom_v, entry.info.name);
  auto scheduler = st.peers.scheduler;
  auto node = entry.info.node;
  auto handle = entry.handle;
  self->request(st.peers.queue, queue_timeout, lost_atom_v, handle)
      .then(
          [=](std::vector<job_dispatch>& dispatched) {
            self->send(scheduler, lost_atom_v, handle, node, reason,
                       std::move(dispatched));
          },
          [=](caf::error&) {
            self->send(scheduler, lost_atom_v, handle, node, reason,
                       std::vector<job_dispatch>{});
          });
}

void spawned(self_ptr self, caf::strong_actor_ptr ptr,
             caf::typed_response_promise<std::string> rp,
             executor_uplink_actor uplink, const std::string& token) {
  auto handle = caf::actor_cast<executor_actor>(ptr);
  if (handle)
    self->state.spawned_uplinks.emplace(handle.address(),
                                        spawned_uplink{uplink, token, handle});
  else
    self->send_exit(uplink, caf::exit_reason::user_shutdown);
  if (!handle) {
    rp.deliver(make_error(errc::invalid_field,
                          "spawn: the node did not spawn an executor"));
    return;
  }
  auto& st = self->state;
  if (auto i = st.refused.find(handle.address()); i != st.refused.end()) {
    rp.deliver(std::move(i->second));
    st.refused.erase(i);
    stop_uplink(self, handle.address()); // Not monitored: nothing else would.
    return;
  }
  if (auto i = st.members.find(handle.address()); i != st.members.end()) {
    rp.deliver(i->second.info.name);
    return;
  }
  st.spawning.emplace(handle.address(), rp);
  self->monitor(handle);
}

void spawn(self_ptr self, const spawn_request& request,
           caf::typed_response_promise<std::string> rp) {
  if (auto err = check_executor_settings(request.settings)) {
    rp.deliver(std::move(err));
    return;
  }
  auto mm = connector(self->system());
  auto where = request.host + ":" + std::to_string(request.port);
  auto fail = [rp, where](const caf::error& err) mutable {
    rp.deliver(
        make_error(errc::node_unreachable, "cannot spawn an executor on node " +
                                               where + ": " + to_string(err)));
  };
  auto settings = request.settings;
  auto host = request.host;
  auto port = request.port;
  self->request(mm, connect_timeout, connect_atom_v, host, port)
      .then(
          [=](const caf::node_id& nid, caf::strong_actor_ptr&,
              std::set<std::string>&) mutable {
            auto material =
                load_login_material(self->state.tls, "", host, port);
            if (!material)
              return fail(material.error());
            credentials creds;
            try {
              creds = spawn_credentials(*material, to_string(nid));
            } catch (const std::exception& err) {
              return fail(make_error(errc::forbidden, err.what()));
            }
            auto token = random_token(32);
            auto uplink = self->spawn(executor_uplink, self->state.peers,
                                      uplink_identity{"node " + where, token});
            auto ifs = self->system().message_types<executor_actor>();
            self->request(
                    mm, spawn_timeout, spawn_atom_v, nid,
                    std::string{remote_executor_type},
                    caf::make_message(
                        settings, coordinator_peers{uplink, token, {}}, creds),
                    ifs)
                .then(
                    [=](caf::strong_actor_ptr& ptr) mutable {
                      spawned(self, std::move(ptr), rp, uplink, token);
                    },
                    [=](caf::error& err) mutable {
                      self->send_exit(uplink, caf::exit_reason::user_shutdown);
                      fail(err);
                    });
          },
          fail);
}

caf::error null_handle() {
  return make_error(errc::invalid_field,
                    "executor: must be an actor, got a null handle");
}

void registered(self_ptr self, executor_actor handle, executor_info info) {
  if (!handle) {
    report_refused("a registration", null_handle());
    return;
  }
  auto& st = self->state;
  auto addr = handle.address();
  if (auto err = check_executor_info(info)) {
    report_refused("a registration", err);
    // A spawned executor that cannot describe itself cannot serve either.
    if (auto i = st.spawning.find(addr); i != st.spawning.end()) {
      i->second.deliver(err);
      st.spawning.erase(i);
      self->send_exit(handle, caf::exit_reason::user_shutdown);
    }
    return;
  }
  if (st.members.count(addr) == 0 && st.spawning.count(addr) == 0)
    self->monitor(handle);
  if (auto i = st.spawning.find(addr); i != st.spawning.end()) {
    i->second.deliver(info.name);
    st.spawning.erase(i);
  }
  if (handle.node() != self->node())
    log_info("troupe: executor ", info.name, " joined from node ", info.node,
             " (", info.slots, " slots)");
  st.members[addr] = cluster_member_entry{std::move(handle), std::move(info)};
}

void refused(self_ptr self, const executor_actor& handle, caf::error reason) {
  if (!handle) {
    report_refused("a refusal to serve", null_handle());
    return;
  }
  auto& st = self->state;
  auto addr = handle.address();
  if (auto i = st.spawning.find(addr); i != st.spawning.end()) {
    i->second.deliver(reason);
    st.spawning.erase(i);
    // The down message may have come first (see `lost`): nothing else
    // stops the uplink then.
    stop_uplink(self, addr);
  } else if (code_of(reason) != errc::node_unreachable &&
             st.refused.size() < max_refusals_kept) {
    // (node_unreachable is `lost`'s own note, after the spawn was answered.)
    st.refused.emplace(addr, std::move(reason));
  }
  self->send_exit(handle, caf::exit_reason::user_shutdown);
}

} // namespace

cluster_registry_actor::behavior_type cluster_registry(
    local_only_pointer<cluster_registry_actor, cluster_registry_state> self,
    coordinator_actors peers, tls_files tls) {
  self->state.peers = std::move(peers);
  self->state.tls = std::move(tls);
  // The uplinks of spawned executors end with the registry: the actor
  // system waits for them.
  self->set_exit_handler([=](caf::exit_msg& msg) {
    for (auto& [addr, uplink] : self->state.spawned_uplinks)
      self->send_exit(uplink.uplink, msg.reason);
    self->quit(msg.reason);
  });
  self->state.peers.registry = cluster_registry_actor{self};
  self->set_down_handler([=](caf::down_msg& msg) { lost(self, msg); });
  return {
      [=](register_atom, executor_actor& handle, executor_info& info) {
        registered(self, std::move(handle), std::move(info));
      },
      [=](register_atom, executor_actor& handle, caf::error& reason) {
        refused(self, handle, std::move(reason));
      },
      [=](spawn_atom, const spawn_request& request) {
        auto rp = self->make_response_promise<std::string>();
        spawn(self, request, rp);
        return rp;
      },
  };
}

} // namespace troupe
