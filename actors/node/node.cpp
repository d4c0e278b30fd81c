// Start-up (open, recover, spawn) and orderly shutdown of an embedded node.
#include "troupe/actors/node/node.hpp"
#include "troupe/actors/cluster/executor_uplink.hpp"
#include "troupe/actors/cluster/login.hpp"
#include "troupe/messages/request_timeouts.hpp"
#include "troupe/security/credentials.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>

#include "caf/event_based_actor.hpp"
#include "caf/exit_reason.hpp"
#include "caf/send.hpp"

#include "caf/io/middleman.hpp"

#include "troupe/actors/audit/audit_recorder.hpp"
#include "troupe/actors/cluster/cluster_registry.hpp"
#include "troupe/actors/cluster/gateway.hpp"
#include "troupe/actors/executor/executor.hpp"
#include "troupe/actors/node/exposure.hpp"
#include "troupe/actors/persistence/persistence.hpp"
#include "troupe/actors/queue/queue.hpp"
#include "troupe/actors/retention/retention_cleaner.hpp"
#include "troupe/actors/scheduler/scheduler.hpp"
#include "troupe/actors/schedules/schedule_keeper.hpp"
#include "troupe/actors/status_reporter/status_reporter.hpp"
#include "troupe/logging/log.hpp"
#include "troupe/messages/type_ids.hpp"

namespace troupe {

namespace {

constexpr auto request_timeout = troupe::request_timeouts::client;

} // namespace

node::node(node_options options)
    : options_(std::move(options)), handlers_(std::make_shared<handler_map>()),
      validators_(std::make_shared<validator_map>()) {
  // nop
}

node::~node() {
  shutdown();
}

caf::error node::handle(std::string type, job_handler fn) {
  return handle(std::move(type), std::move(fn), payload_validator{});
}

caf::error node::handle(std::string type, job_handler fn,
                        payload_validator check) {
  if (system_)
    return make_error(errc::invalid_transition,
                      "handle: handlers are registered before start, got " +
                          type + " on a running node");
  if (!is_valid_type_name(type))
    return make_error(errc::invalid_field,
                      "handle: the type must match " + type_name_rule);
  if (!fn)
    return make_error(errc::invalid_field, "handle: the handler is empty");
  if (check)
    (*validators_)[type] = std::move(check);
  else
    validators_->erase(type);
  (*handlers_)[std::move(type)] = std::move(fn);
  return caf::none;
}

caf::error node::refuse(std::string type, std::string reason) {
  if (system_)
    return make_error(errc::invalid_transition,
                      "refuse: types are refused before start, got " + type +
                          " on a running node");
  if (!is_valid_type_name(type))
    return make_error(errc::invalid_field,
                      "refuse: the type must match " + type_name_rule);
  if (reason.empty())
    return make_error(errc::invalid_field, "refuse: the reason is empty");
  handlers_->erase(type);
  // The scheduler asks the validator of a type at every submission: this
  // one refuses them all, before anything is stored.
  (*validators_)[std::move(type)] =
      [why = std::move(reason)](const nlohmann::json&) { return why; };
  return caf::none;
}

caf::error node::start() {
  if (system_)
    return failure(); // Started: only a failure since is worth reporting.
  configure_logging(options_.log);
  // Checked before anything opens, so a refused start changes nothing.
  bool listens =
      options_.join.empty() && (options_.bare || options_.listen_port >= 0);
  const auto& security = options_.security;
  if (auto err = listens ? check_exposure(options_.listen_host, security)
                         : check_tls_settings(security.tls))
    return err;
  auto err = !options_.join.empty() ? start_member()
             : options_.bare        ? start_bare()
                                    : start_coordinator();
  if (!err && listens)
    warn_exposure(options_.listen_host, port_, security); // On every start.
  return err;
}

void node::make_system(bool with_middleman) {
  if (!config_) {
    config_ = std::make_unique<caf::actor_system_config>();
    register_types(*config_);
  }
  // CAF's own default is at least 4 threads: on fewer cores they only take
  // turns, and every hand-off between them costs a wake-up.
  auto threads = options_.scheduler_threads > 0
                     ? options_.scheduler_threads
                     : std::max<size_t>(2, std::thread::hardware_concurrency());
  config_->set("scheduler.max-threads", threads);
  if (with_middleman) {
    load_middleman(*config_, options_.heartbeat_timeout);
    load_tls(*config_, options_.security.tls);
  }
  system_ = std::make_unique<caf::actor_system>(*config_);
}

caf::expected<std::shared_ptr<job_store>> node::open_store() {
  if (kept_store_)
    return kept_store_;
  auto store = job_store::open(options_.store);
  if (!store)
    return store.error();
  std::shared_ptr<job_store> shared_store = std::move(*store);
  // Said once, when the store is opened.
  warnings_ = shared_store->warnings();
  for (const auto& warning : warnings_)
    log_warn("troupe: ", warning);
  return shared_store;
}

scheduler_config node::scheduler_settings() const {
  auto sched = options_.scheduler;
  sched.payload_validators = validators_;
  return sched;
}

void node::spawn_cleaner() {
  if (!options_.retention.enabled())
    return;
  cleaner_ = system_->spawn(retention_cleaner, options_.retention, persistence_,
                            [reporter = reporter_, user = options_.on_cleanup](
                                uint64_t purged, int64_t cutoff) {
                              caf::anon_send(reporter, stats_atom_v,
                                             caf::update_atom_v);
                              if (user)
                                user(purged, cutoff);
                            });
}

caf::error node::start_coordinator() {
  auto opened = open_store();
  if (!opened)
    return opened.error();
  auto shared_store = std::move(*opened);
  auto counts = shared_store->count_by_status();
  if (!counts)
    return counts.error();
  auto controls = startup_controls(*shared_store, options_);
  if (!controls)
    return controls.error();
  auto schedules = shared_store->schedules();
  if (!schedules)
    return schedules.error();
  make_system(options_.listen_port >= 0);
  store_ = shared_store; // Released by shutdown, which runs from here on.
  auto& sys = *system_;
  persistence_ = sys.spawn<caf::detached>(persistence, shared_store);
  queue_ = sys.spawn(queue, options_.queue);
  audit_ = sys.spawn(troupe::audit_recorder, persistence_);
  job_statistics stats;
  stats.seed(*counts);
  reporter_ = sys.spawn(troupe::status_reporter, persistence_, std::move(stats),
                        queue_, options_.reporter, audit_);
  // Detached: it writes its schedules to the store itself.
  schedule_keeper_ = sys.spawn<caf::detached>(
      schedule_keeper, shared_store, std::move(*schedules),
      options_.scheduler.limits, int64_t{0});
  scheduler_ = sys.spawn(
      troupe::scheduler, scheduler_settings(),
      scheduler_peers{persistence_, queue_, reporter_, schedule_keeper_});
  watch_for_failure();
  coordinator_actors actors{scheduler_, queue_, {}, reporter_};
  registry_ = sys.spawn(cluster_registry, actors, options_.security.tls);
  actors.registry = registry_;
  if (options_.executor.slots > 0 && !handlers_->empty()) {
    // The local executor reports through an uplink of its own, as any other.
    auto token = random_token(32);
    local_uplink_ = sys.spawn(executor_uplink, actors,
                              uplink_identity{options_.name, token});
    // Not detached: it never blocks while running, and a detached actor with
    // a pending heartbeat timer would keep CAF's shutdown waiting forever.
    executor_ = sys.spawn(executor, local_executor_options(),
                          coordinator_peers{local_uplink_, token, {}},
                          std::shared_ptr<const handler_map>{handlers_});
  }
  // Before any job reaches the queue, so no job escapes a limit or pause.
  caf::anon_send(scheduler_, limits_atom_v, std::move(*controls));
  // The scheduler takes over the unfinished jobs page by page while it
  // serves; what names a job it does not hold yet waits for the end.
  caf::anon_send(scheduler_, recover_atom_v);
  spawn_cleaner();
  caf::anon_send(schedule_keeper_, arm_atom_v, scheduler_);
  if (options_.listen_port >= 0) {
    if (auto err = publish(actors); err) {
      shutdown();
      return err;
    }
  }
  return caf::none;
}

void node::shutdown() {
  if (!system_)
    return;
  {
    caf::scoped_actor self{*system_};
    auto stop = [&](auto& handle) {
      if (!handle)
        return;
      self->send_exit(handle, caf::exit_reason::user_shutdown);
      self->wait_for(handle);
    };
    stop(watchdog_); // What follows stops actors on purpose.
    stop(guard_);
    forget_secret();
    stop(gateway_);
    stop(cleaner_);
    stop(schedule_keeper_); // No new firings.
    stop(member_);
    // Losses during shutdown are not losses: nothing is re-queued now.
    stop(registry_);
    // No new dispatches, then no running handlers, then everything durable.
    stop(queue_);
    if (executor_ && options_.shutdown_grace.count() > 0)
      self->request(executor_, options_.shutdown_grace, drain_atom_v)
          .receive([](ok_atom) {}, [](caf::error&) {});
    stop(executor_);
    stop(local_uplink_);
    stop_spawned(self);
    if (persistence_) {
      self->request(scheduler_, request_timeout, drain_atom_v)
          .receive([](ok_atom) {}, [](caf::error&) {});
      self->request(persistence_, request_timeout, flush_atom_v)
          .receive([](ok_atom) {}, [](caf::error&) {});
      stop(scheduler_);
      stop(reporter_);
      // After every actor that records, before the store goes.
      if (audit_)
        self->request(audit_, request_timeout, flush_atom_v)
            .receive([](ok_atom) {}, [](caf::error&) {});
      stop(audit_);
      stop(persistence_);
    }
  }
  store_ = nullptr;
  executor_ = nullptr;
  local_uplink_ = nullptr;
  watchdog_ = nullptr;
  schedule_keeper_ = nullptr;
  gateway_ = nullptr;
  registry_ = nullptr;
  member_ = nullptr;
  session_ = remote_session{};
  cleaner_ = nullptr;
  guard_ = nullptr;
  port_ = 0;
  scheduler_ = nullptr;
  reporter_ = nullptr;
  audit_ = nullptr;
  queue_ = nullptr;
  persistence_ = nullptr;
  system_.reset();
  config_.reset();
}

caf::actor_system& node::system() {
  if (!system_)
    throw std::logic_error("troupe::node::system: the node is not started");
  return *system_;
}

caf::error node::check_started(const char* what) const {
  if (!system_)
    return make_error(errc::invalid_transition,
                      std::string{what} + ": the node is not started");
  if (!scheduler_)
    return make_error(errc::invalid_transition,
                      std::string{what} + ": this node has no scheduler");
  return caf::none;
}

caf::expected<std::string> node::submit(job_spec spec) {
  auto ids = submit(std::vector<job_spec>{std::move(spec)});
  if (!ids)
    return ids.error();
  return ids->front();
}

caf::expected<std::vector<std::string>>
node::submit(std::vector<job_spec> specs) {
  if (auto err = check_started("submit"))
    return err;
  caf::scoped_actor self{*system_};
  caf::expected<std::vector<std::string>> result{std::vector<std::string>{}};
  self->request(scheduler_, request_timeout, submit_atom_v, std::move(specs))
      .receive([&](std::vector<std::string>& ids) { result = std::move(ids); },
               [&](caf::error& err) { result = std::move(err); });
  return result;
}

caf::expected<job_record> node::get(const std::string& id) {
  if (auto err = check_started("get"))
    return err;
  caf::scoped_actor self{*system_};
  caf::expected<job_record> result{job_record{}};
  self->request(reporter_, request_timeout, get_atom_v, id)
      .receive([&](job_record& record) { result = std::move(record); },
               [&](caf::error& err) { result = std::move(err); });
  return result;
}

} // namespace troupe
