// The client side of the CAF remote-actor protocol: one actor system with
// the middleman, connected to the gateway, with finite timeouts everywhere
// because requests to a dead peer are never answered.
#include "apps/troupe/client_session.hpp"

#include <future>
#include <memory>
#include <tuple>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/io/middleman.hpp"

#include "apps/troupe/exit_codes.hpp"
#include "apps/troupe/job_waiter.hpp"
#include "troupe/actors/cluster/gateway.hpp"
#include "troupe/actors/cluster/login.hpp"
#include "troupe/messages/errc.hpp"
#include "troupe/messages/request_timeouts.hpp"
#include "troupe/messages/type_ids.hpp"

namespace troupe::cli {

namespace {

constexpr auto request_timeout = troupe::request_timeouts::client;
// Purging a large store walks an index and deletes in batches; retrying by
// filter pages through a listing.
constexpr auto purge_timeout = troupe::request_timeouts::client_purge;

} // namespace

struct client_session::impl {
  server_address where;
  caf::actor_system_config config;
  std::unique_ptr<caf::actor_system> system;
  remote_coordinator server;

  explicit impl(const server_address& address) : where(address) {
    register_types(config);
    load_middleman(config, default_heartbeat_timeout);
    load_tls(config, where.tls);
    // A command line client needs few threads; start-up time matters more.
    config.set("scheduler.max-threads", 2);
    system = std::make_unique<caf::actor_system>(config);
    auto material = load_login_material(where.tls, where.secret_file,
                                        where.host, where.port);
    // Certificates that cannot prove anything (expired, of another CA)
    // are said at once; no TLS connection can be made with them.
    if (!material && where.tls.enabled())
      throw cli_error{exit_forbidden, message_of(material.error())};
    // Connected even without credentials, so that a server that is not
    // there is told apart from one that refuses.
    auto found = connect_coordinator(*system, where.host, where.port,
                                     material ? *material : login_material{});
    if (!material && (found || code_of(found.error()) == errc::forbidden))
      throw cli_error{exit_forbidden, message_of(material.error())};
    if (!found && code_of(found.error()) == errc::forbidden)
      throw cli_error{exit_forbidden,
                      "the troupe server at " + where.to_string() +
                          " refused: " + message_of(found.error())};
    if (!found)
      throw cli_error{exit_unreachable, "cannot reach the troupe server at " +
                                            where.to_string() + ": " +
                                            message_of(found.error())};
    server = std::move(*found);
  }

  ~impl() { end_session(server); }

  const std::string& token() const { return server.session.token; }

  /// Turns an error reply into the exit code that describes it.
  [[noreturn]] void fail(const caf::error& err) const {
    switch (code_of(err)) {
    case errc::invalid_field:
    case errc::unknown_dependency:
    case errc::dependency_cycle:
    case errc::not_found:
    case errc::invalid_transition:
    case errc::conflict:
      throw usage_error(message_of(err));
    case errc::node_unreachable:
      throw cli_error{exit_unreachable, message_of(err)};
    case errc::forbidden:
      throw cli_error{exit_forbidden, message_of(err)};
    case errc::none:
      // CAF's own errors: timeouts and lost connections.
      throw cli_error{exit_unreachable, "lost the troupe server at " +
                                            where.to_string() + ": " +
                                            message_of(err)};
    default:
      throw cli_error{exit_unreachable,
                      "the troupe server at " + where.to_string() +
                          " cannot serve this: " + message_of(err)};
    }
  }

  /// Sends one request and waits for its reply or error. A helper actor
  /// monitors the server while the request is pending: a lost connection
  /// kills the remote proxy and fails the request at once, rather than at
  /// its timeout.
  template <class T, class Handle, class... Ts>
  caf::expected<T> ask(const Handle& dest, caf::timespan timeout,
                       const Ts&... xs) {
    auto reply = std::make_shared<std::promise<caf::expected<T>>>();
    auto answer = reply->get_future();
    system->spawn(asker<T, Handle, Ts...>, reply, dest, timeout,
                  std::make_tuple(xs...));
    try {
      return answer.get();
    } catch (const std::future_error&) {
      return make_error(errc::shutting_down, "the client stopped");
    }
  }

  template <class T, class Handle, class... Ts>
  static void asker(caf::event_based_actor* self,
                    std::shared_ptr<std::promise<caf::expected<T>>> reply,
                    Handle dest, caf::timespan timeout, std::tuple<Ts...> xs) {
    // The reply and the down message may both be queued: the first wins.
    auto settled = std::make_shared<bool>(false);
    auto settle = [self, reply, settled](caf::expected<T> outcome) {
      if (*settled)
        return;
      *settled = true;
      reply->set_value(std::move(outcome));
      self->quit();
    };
    self->monitor(dest);
    self->set_down_handler([settle](caf::down_msg& msg) {
      settle(msg.reason ? std::move(msg.reason)
                        : caf::make_error(caf::sec::request_receiver_down));
    });
    std::apply(
        [&](const Ts&... args) {
          self->request(dest, timeout, args...)
              .then([settle](T& value) { settle(std::move(value)); },
                    [settle](caf::error& err) { settle(std::move(err)); });
        },
        xs);
  }

  template <class T, class Handle, class... Ts>
  T call(const Handle& dest, caf::timespan timeout, const Ts&... xs) {
    auto result = ask<T>(dest, timeout, xs...);
    if (!result)
      fail(result.error());
    return std::move(*result);
  }

  /// Like `call`, but asks once more when the first request timed out: safe
  /// only for requests that are idempotent, such as a submit with an id.
  template <class T, class Handle, class... Ts>
  T call_twice(const Handle& dest, caf::timespan timeout, const Ts&... xs) {
    auto result = ask<T>(dest, timeout, xs...);
    if (!result && result.error() == caf::sec::request_timeout)
      result = ask<T>(dest, timeout, xs...);
    if (!result)
      fail(result.error());
    return std::move(*result);
  }
};

client_session::client_session(const server_address& where)
    : impl_(std::make_unique<impl>(where)) {
  // nop
}

client_session::~client_session() {
  // nop
}

std::string client_session::submit(const job_spec& spec) {
  if (!spec.id.empty())
    return impl_->call_twice<std::string>(impl_->server.gateway,
                                          request_timeout, impl_->token(),
                                          submit_atom_v, spec);
  return impl_->call<std::string>(impl_->server.gateway, request_timeout,
                                  impl_->token(), submit_atom_v, spec);
}

std::vector<std::string>
client_session::submit_batch(const std::vector<job_spec>& specs) {
  return impl_->call<std::vector<std::string>>(impl_->server.gateway,
                                               request_timeout, impl_->token(),
                                               submit_atom_v, specs);
}

std::vector<std::string>
client_session::retry_matching(const job_query& query) {
  return impl_->call<std::vector<std::string>>(impl_->server.gateway,
                                               purge_timeout, impl_->token(),
                                               retry_atom_v, query);
}

job_record client_session::get(const std::string& id) {
  return impl_->call<job_record>(impl_->server.gateway, request_timeout,
                                 impl_->token(), get_atom_v, id);
}

std::vector<history_entry> client_session::history(const std::string& id) {
  return impl_->call<std::vector<history_entry>>(
      impl_->server.gateway, request_timeout, impl_->token(), history_atom_v,
      id);
}

job_listing client_session::list(const job_query& query) {
  return impl_->call<job_listing>(impl_->server.gateway, request_timeout,
                                  impl_->token(), list_atom_v, query);
}

job_status client_session::cancel(const std::string& id) {
  return impl_->call<job_status>(impl_->server.gateway, request_timeout,
                                 impl_->token(), cancel_atom_v, id);
}

job_status client_session::retry(const std::string& id) {
  return impl_->call<job_status>(impl_->server.gateway, request_timeout,
                                 impl_->token(), retry_atom_v, id);
}

purge_report client_session::purge(int64_t finished_before_us) {
  return impl_->call<purge_report>(impl_->server.gateway, purge_timeout,
                                   impl_->token(), purge_atom_v,
                                   finished_before_us);
}

backup_report client_session::backup(const std::string& dir) {
  // A checkpoint flushes memtables and links or copies every table file.
  return impl_->call<backup_report>(impl_->server.gateway, purge_timeout,
                                    impl_->token(), backup_atom_v, dir);
}

periodic_schedule client_session::add_schedule(const periodic_schedule& x) {
  return impl_->call<periodic_schedule>(impl_->server.gateway, request_timeout,
                                        impl_->token(), schedules_atom_v,
                                        add_atom_v, x);
}

std::vector<periodic_schedule> client_session::schedules() {
  return impl_->call<std::vector<periodic_schedule>>(
      impl_->server.gateway, request_timeout, impl_->token(), schedules_atom_v,
      list_atom_v);
}

void client_session::remove_schedule(const std::string& name) {
  impl_->call<ok_atom>(impl_->server.gateway, request_timeout, impl_->token(),
                       schedules_atom_v, delete_atom_v, name);
}

stats_snapshot client_session::stats() {
  return impl_->call<stats_snapshot>(impl_->server.gateway, request_timeout,
                                     impl_->token(), stats_atom_v);
}

std::vector<executor_info> client_session::workers() {
  return impl_->call<std::vector<executor_info>>(
      impl_->server.gateway, request_timeout, impl_->token(), workers_atom_v);
}

std::string client_session::spawn_executor(const spawn_request& request) {
  // The coordinator connects to the node and waits for the new executor.
  return impl_->call<std::string>(impl_->server.gateway,
                                  request_timeouts::client_spawn,
                                  impl_->token(), spawn_atom_v, request);
}

dispatch_controls client_session::controls() {
  return impl_->call<dispatch_controls>(impl_->server.gateway, request_timeout,
                                        impl_->token(), limits_atom_v,
                                        get_atom_v);
}

dispatch_controls client_session::visible_controls() {
  auto result =
      impl_->ask<dispatch_controls>(impl_->server.gateway, request_timeout,
                                    impl_->token(), limits_atom_v, get_atom_v);
  if (!result && code_of(result.error()) == errc::forbidden)
    return {};
  if (!result)
    impl_->fail(result.error());
  return std::move(*result);
}

dispatch_controls client_session::set_limit(const dispatch_limit& limit) {
  return impl_->call<dispatch_controls>(impl_->server.gateway, request_timeout,
                                        impl_->token(), limits_atom_v, limit);
}

dispatch_controls client_session::clear_limit(control_scope scope,
                                              const std::string& key) {
  return impl_->call<dispatch_controls>(impl_->server.gateway, request_timeout,
                                        impl_->token(), limits_atom_v,
                                        delete_atom_v, scope, key);
}

dispatch_controls client_session::set_paused(control_scope scope,
                                             const std::string& key,
                                             bool paused) {
  if (paused)
    return impl_->call<dispatch_controls>(impl_->server.gateway,
                                          request_timeout, impl_->token(),
                                          pause_atom_v, scope, key);
  return impl_->call<dispatch_controls>(impl_->server.gateway, request_timeout,
                                        impl_->token(), resume_atom_v, scope,
                                        key);
}

bool client_session::wait(const std::vector<std::string>& ids,
                          std::chrono::milliseconds timeout,
                          progress_display& display) {
  auto outcome = wait_for_jobs(
      *impl_->system, job_source{{}, impl_->server.gateway, impl_->token()},
      ids, timeout, display);
  if (outcome.error)
    impl_->fail(outcome.error);
  return outcome.finished;
}

std::vector<audit_entry> client_session::audit(const audit_query& query) {
  return impl_->call<std::vector<audit_entry>>(impl_->server.gateway,
                                               request_timeout, impl_->token(),
                                               audit_atom_v, query);
}

} // namespace troupe::cli
