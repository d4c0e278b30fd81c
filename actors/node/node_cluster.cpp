// The two executor-node roles of troupe::node: joining a coordinator, and
// running bare so coordinators can remote-spawn executors into it.
#include <atomic>
#include <mutex>

#include "caf/event_based_actor.hpp"
#include "caf/exit_reason.hpp"
#include "caf/io/middleman.hpp"

#include "troupe/actors/cluster/basp_guard.hpp"
#include "troupe/actors/cluster/cluster_input.hpp"
#include "troupe/actors/cluster/cluster_registry.hpp"
#include "troupe/actors/cluster/coordinator_link.hpp"
#include "troupe/actors/cluster/gateway.hpp"
#include "troupe/actors/cluster/login.hpp"
#include "troupe/actors/node/node.hpp"
#include "troupe/logging/log.hpp"
#include "troupe/messages/request_timeouts.hpp"
#include "troupe/messages/type_ids.hpp"

namespace troupe {

/// Executors that coordinators spawned into a bare node, stopped with it.
struct spawned_executors {
  /// What a spawn must prove: this node's secret, or a signature by an
  /// admin certificate of the CA in `ca_pem`.
  std::string secret;
  std::string ca_pem;
  /// This node's TLS files, for the links of its executors.
  tls_files tls;
  std::mutex mtx;
  std::vector<executor_actor> handles;
  /// Their links to the coordinator, for those given its address.
  std::vector<coordinator_link_actor> links;
  std::atomic<uint32_t> count{0};
};

namespace {

constexpr auto request_timeout = troupe::request_timeouts::client;

caf::expected<std::pair<std::string, uint16_t>>
split_address(const std::string& address, const char* field) {
  auto colon = address.rfind(':');
  auto fail = make_error(errc::invalid_field,
                         std::string{field} + ": must be HOST:PORT, got \"" +
                             address + "\"");
  if (colon == std::string::npos || colon == 0)
    return fail;
  try {
    size_t used = 0;
    auto port = std::stoul(address.substr(colon + 1), &used);
    if (used != address.size() - colon - 1 || port == 0 || port > 65535)
      return fail;
    return std::make_pair(address.substr(0, colon),
                          static_cast<uint16_t>(port));
  } catch (const std::exception&) {
    return fail;
  }
}

/// An executor a coordinator spawned into this bare node. Given the
/// coordinator's address, a link of its own watches the coordinator and
/// rejoins it after a restart, as a worker does.
executor_actor::behavior_type
spawned_executor(executor_actor::stateful_pointer<executor_state> self,
                 const executor_settings& settings, coordinator_peers peers,
                 const credentials& creds,
                 std::shared_ptr<const handler_map> handlers,
                 const std::string& node_name, spawned_executors& spawned) {
  // Anyone connected to this node can ask CAF's spawn server: only a
  // coordinator holding this node's secret, or an admin certificate of the
  // cluster, gets an executor.
  if (auto err = check_spawn_credentials(creds, spawned.secret, spawned.ca_pem,
                                         to_string(self->node()))) {
    log_warn("troupe: refused a spawn: ", message_of(err));
    // Tell the spawner why, as an executor that cannot serve does: the
    // spawner learns of this actor only after it quit, so the reason in
    // the down message it gets then is unknown. The refusal costs nothing,
    // and this actor quits without waiting to be stopped.
    if (peers.uplink)
      self->send(peers.uplink, peers.token, register_atom_v,
                 executor_actor{self}, err);
    self->quit(err);
    return executor_actor::behavior_type::make_empty_behavior();
  }
  // The coordinator checks these too, but this node trusts no one.
  auto address =
      settings.coordinator.empty()
          ? caf::expected<std::pair<std::string, uint16_t>>{std::make_pair(
                std::string{}, uint16_t{0})}
          : split_address(settings.coordinator, "coordinator");
  auto err = check_executor_settings(settings);
  if (err || !address) {
    self->quit(err ? err : address.error());
    return executor_actor::behavior_type::make_empty_behavior();
  }
  executor_options ex;
  auto n = ++spawned.count;
  ex.name = settings.name.empty() ? node_name + "/executor-" + std::to_string(n)
                                  : settings.name;
  ex.node = node_name;
  ex.slots = settings.slots;
  ex.types = settings.types;
  std::lock_guard<std::mutex> guard{spawned.mtx};
  spawned.handles.emplace_back(self);
  if (!settings.coordinator.empty() && !check_peers(peers)) {
    coordinator_link_options link;
    link.host = address->first;
    link.port = address->second;
    link.joined = peers;
    link.tls = spawned.tls;
    auto member = self->home_system().spawn(coordinator_link, link,
                                            std::vector<executor_actor>{self});
    self->link_to(member); // Stops with the executor.
    spawned.links.push_back(member);
  }
  return executor(self, std::move(ex), std::move(peers), std::move(handlers));
}

} // namespace

executor_options node::local_executor_options() const {
  auto ex = options_.executor;
  ex.name = options_.name + "/executor";
  ex.node = options_.name;
  return ex;
}

caf::error node::start_member() {
  auto address = split_address(options_.join, "join");
  if (!address)
    return address.error();
  if (options_.executor.slots == 0)
    return make_error(errc::invalid_field,
                      "slots: an executor node needs at least 1 slot");
  if (auto types = executor_types(*handlers_, options_.executor.types); !types)
    return types.error();
  make_system(true);
  auto& sys = *system_;
  executor_ = sys.spawn(executor, local_executor_options(), coordinator_peers{},
                        std::shared_ptr<const handler_map>{handlers_});
  coordinator_link_options link;
  link.host = address->first;
  link.port = address->second;
  link.tls = options_.security.tls;
  link.secret_file = options_.security.secret_file;
  member_ =
      sys.spawn(coordinator_link, link, std::vector<executor_actor>{executor_});
  auto result = await_join();
  if (result)
    shutdown();
  return result;
}

caf::error node::await_join() {
  // The blocking actor that waits must be gone before a failed start shuts
  // the system down: the system waits for every actor that is not hidden.
  caf::error result;
  caf::scoped_actor self{*system_};
  self->request(member_, options_.join_timeout, get_atom_v)
      .receive(
          [&](coordinator_peers& peers) {
            // Requests go through the gateway with the session's token.
            session_ = remote_session{peers.gateway, peers.token};
          },
          [&](caf::error& err) {
            if (code_of(err) == errc::forbidden) {
              result = std::move(err);
              return;
            }
            result = make_error(
                errc::node_unreachable,
                "join: no troupe coordinator answered at " + options_.join +
                    " within " + std::to_string(options_.join_timeout.count()) +
                    " ms");
          });
  return result;
}

caf::error node::start_bare() {
  if (options_.listen_port < 0)
    return make_error(errc::invalid_field,
                      "listen: a bare node must listen on a port");
  auto spawned = std::make_shared<spawned_executors>();
  spawned_ = spawned;
  if (auto err = load_security())
    return err;
  spawned->secret = secret_;
  spawned->ca_pem = ca_pem_;
  spawned->tls = options_.security.tls;
  // troupe's types first, so every node names the executor handle alike.
  config_ = std::make_unique<caf::actor_system_config>();
  register_types(*config_);
  auto handlers = std::shared_ptr<const handler_map>{handlers_};
  auto name = options_.name;
  config_->add_actor_type(
      remote_executor_type,
      [handlers, name,
       spawned](executor_actor::stateful_pointer<executor_state> self,
                executor_settings& settings, coordinator_peers& peers,
                credentials& creds) {
        return spawned_executor(self, settings, std::move(peers), creds,
                                handlers, name, *spawned);
      });
  make_system(true);
  // Nothing is published: coordinators reach CAF's spawn server.
  auto err = guard_port(nullptr, {});
  if (err)
    shutdown();
  return err;
}

void node::stop_spawned(caf::scoped_actor& self) {
  if (!spawned_)
    return;
  std::vector<executor_actor> handles;
  {
    std::lock_guard<std::mutex> guard{spawned_->mtx};
    handles.swap(spawned_->handles);
  }
  std::vector<coordinator_link_actor> links;
  {
    std::lock_guard<std::mutex> guard{spawned_->mtx};
    links.swap(spawned_->links);
  }
  for (auto& link : links) {
    self->send_exit(link, caf::exit_reason::user_shutdown);
    self->wait_for(link);
  }
  for (auto& handle : handles) {
    self->send_exit(handle, caf::exit_reason::user_shutdown);
    self->wait_for(handle);
  }
  spawned_.reset();
}

caf::expected<std::string> node::spawn_executor(const std::string& host,
                                                uint16_t port,
                                                executor_settings settings) {
  if (auto err = check_started("spawn_executor"))
    return err;
  if (!registry_)
    return make_error(errc::invalid_field,
                      "node: only a coordinator spawns executors");
  if (settings.coordinator.empty() && port_ != 0)
    settings.coordinator = options_.listen_host + ":" + std::to_string(port_);
  caf::scoped_actor self{*system_};
  caf::expected<std::string> result{std::string{}};
  self->request(registry_, request_timeout, spawn_atom_v,
                spawn_request{host, port, std::move(settings)})
      .receive([&](std::string& name) { result = std::move(name); },
               [&](caf::error& err) { result = std::move(err); });
  return result;
}

} // namespace troupe
