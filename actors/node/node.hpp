// The embedding API: one include gives a service a troupe node (scheduler,
// queue, executors, status reporter, persistence) and typed handles to it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/expected.hpp"
#include "caf/scoped_actor.hpp"
#include "caf/typed_event_based_actor.hpp"

#include "troupe/actors/executor/executor.hpp"
#include "troupe/actors/executor/job_handler.hpp"
#include "troupe/actors/queue/queue_state.hpp"
#include "troupe/actors/retention/retention_cleaner.hpp"
#include "troupe/actors/scheduler/dispatch_rules.hpp"
#include "troupe/actors/scheduler/scheduler_state.hpp"
#include "troupe/actors/scheduler/spec_validation.hpp"
#include "troupe/actors/status_reporter/status_reporter.hpp"
#include "troupe/logging/log.hpp"
#include "troupe/messages/errc.hpp"
#include "troupe/messages/interfaces.hpp"
#include "troupe/security/security_options.hpp"
#include "troupe/storage/job_store.hpp"

namespace troupe {

/// Options of a node. Each part's defaults are stated once, with the part
/// (the store, the executor, the scheduler, the queue, retention); the
/// node's own options are below them.
/// A session with a remote coordinator: its gateway and the token.
struct remote_session {
  gateway_actor gateway;
  std::string token;
};

struct node_options {
  /// The RocksDB store: its directory, durability, free-space reserve and
  /// the data loss an operator accepts (`store_options`).
  store_options store;
  /// Name of this node in the worker table and history. Default: "local".
  std::string name = "local";
  /// The local executor: its slots (0 runs no local executor), the job types
  /// it takes and its heartbeat (`executor_options`). Its name and node are
  /// set from `name`.
  executor_options executor;
  /// Job defaults (timeout, retries, backoff), the limits on submitted jobs
  /// (`scheduler.limits`) and the crash-loop limit (`scheduler_config`).
  /// The payload checks come from the registered handlers.
  scheduler_config scheduler;
  /// Ageing of queued jobs (`queue_config`).
  queue_config queue;
  /// Settings of the status reporter: how many subscriptions one subscriber
  /// may hold.
  status_reporter_config reporter;
  /// Automatic purges of terminal jobs: their age and how often
  /// (`retention_policy`; an `interval` of 0 turns them off, `troupe
  /// cleanup` still works).
  retention_policy retention;
  /// How long `shutdown` lets running attempts finish before it cancels them
  /// (cancelled attempts are re-queued on the next start). Default: 0 ms.
  std::chrono::milliseconds shutdown_grace{0};
  /// Worker threads of CAF's scheduler; 0: one per core, at least 2.
  /// Default: 0.
  size_t scheduler_threads = 0;
  /// TCP port on which to publish the gateway for remote clients and
  /// executors; -1 publishes nothing, 0 picks a free port. Default: -1.
  int listen_port = -1;
  /// Address to listen on; anything beyond loopback must be asked for.
  /// Default: "127.0.0.1".
  std::string listen_host = "127.0.0.1";
  /// TLS, the secret of loopback clients and the access-control list
  /// (`security_options`). Default: no TLS, loopback only.
  security_options security;
  /// Largest message a peer may announce on the listening port; a
  /// connection announcing more (or a handshake over 64 KiB) is dropped
  /// before anything is allocated for it. Default: 64 MiB.
  uint32_t max_message_bytes = 64 * 1024 * 1024;

  // -- clustering
  // ---------------------------------------------------------------

  /// "HOST:PORT" of a coordinator to join as an executor node: the node then
  /// has no store and no scheduler, its executor serves that coordinator,
  /// and it rejoins with backoff whenever the coordinator goes away.
  /// Default: empty (this node is a coordinator).
  std::string join;
  /// How long `start` waits for the first join.
  std::chrono::milliseconds join_timeout = default_join_timeout;
  /// Run bare: no store, no scheduler, no executor of its own; coordinators
  /// remote-spawn executors into it through `listen_host:listen_port`.
  /// Default: false.
  bool bare = false;
  /// Silence after which a peer process (node, coordinator, client) counts
  /// as lost: CAF's middleman sends heartbeats every fifth of it and drops
  /// connections silent for longer.
  std::chrono::milliseconds heartbeat_timeout = default_heartbeat_timeout;
  /// Called after an automatic cleanup that purged jobs, with their number
  /// and the cutoff (microseconds since the epoch), on an actor's thread:
  /// keep it short. Default: none.
  std::function<void(uint64_t purged, int64_t cutoff_us)> on_cleanup;
  /// Concurrency quotas and rate limits applied at start: each is stored,
  /// replacing a stored limit with its scope and key; other stored limits
  /// stay. Default: none.
  std::vector<dispatch_limit> dispatch_limits;
  /// Called once, on an actor's thread, when the node stopped itself after a
  /// failure it cannot handle (a store write failed, or persistence answered
  /// out of order): no later change is acknowledged, and the service should
  /// call `shutdown` and start again, which recovers from the store.
  /// `failure()` returns the same error. Default: none.
  std::function<void(const caf::error&)> on_failure;
  /// Where the library's log lines go: level (default info), an spdlog sink
  /// of the service's own (default none: standard error) and the format of
  /// standard error (default text). The logger is process-wide: `start`
  /// applies these options, replacing what an earlier start applied.
  log_options log;
};

/// The limits and pauses a node starts with: those in `store` with
/// `options.dispatch_limits` applied (and stored), and pauses of jobs that
/// ended meanwhile or are gone dropped from the store.
caf::expected<dispatch_controls> startup_controls(job_store& store,
                                                  const node_options& options);

/// A running troupe node embedded in the calling process.
class node {
public:
  // -- constructors -----------------------------------------------------------

  explicit node(node_options options = {});

  /// Shuts down if still running.
  ~node();

  node(const node&) = delete;
  node& operator=(const node&) = delete;

  // -- setup ------------------------------------------------------------------

  /// Registers the handler of job type `type`. Only before `start` (the
  /// executors read the handlers while running): afterwards, or for a type
  /// name that breaks `[a-z0-9_.-]{1,64}`, it changes nothing and returns
  /// `errc::invalid_transition` or `errc::invalid_field`.
  caf::error handle(std::string type, job_handler fn);

  /// Registers the handler of `type` and the check its payloads must pass at
  /// submission on this node; the same rules as above apply.
  caf::error handle(std::string type, job_handler fn, payload_validator check);

  /// Refuses every submission of job type `type` to this node's scheduler
  /// with `reason` (`errc::invalid_field`, e.g. "type: the shell job type
  /// is off ...") and drops a handler registered for it: for a type that
  /// configuration turned off. The same rules as for `handle` apply.
  caf::error refuse(std::string type, std::string reason);

  /// Opens the store, recovers unfinished jobs and spawns the actors. Fails
  /// with the store's error (locked, corrupt, unreadable directory, lost
  /// acknowledged writes). On a started node it returns `failure()`.
  caf::error start();

  /// Stops dispatching, lets running attempts finish for `shutdown_grace`,
  /// stops executors (attempts still running are re-queued on the next
  /// start), persists everything and joins all actors.
  void shutdown();

  // -- handles ----------------------------------------------------------------

  /// The actor system; valid between `start` and `shutdown`, throws
  /// `std::logic_error` otherwise.
  caf::actor_system& system();

  /// The front door: `request(scheduler(), timeout, submit_atom_v, spec)`.
  /// On an executor node: the coordinator's, as of the first join.
  scheduler_actor scheduler() const { return scheduler_; }

  /// The read side: status, history, listings, statistics, subscriptions.
  /// On an executor node: the coordinator's, as of the first join.
  status_reporter_actor status_reporter() const { return reporter_; }

  /// Where local actors record control actions (see `record_audit` in
  /// `troupe/actors/audit/audit_log.hpp`): batched into durable appends to
  /// this node's store. Null on executor and bare nodes, which keep none.
  audit_recorder_actor audit_recorder() const { return audit_; }

  const node_options& options() const { return options_; }

  /// What `start` reported without failing (also printed on standard
  /// error): rows of the store set aside as malformed, data loss accepted.
  const std::vector<std::string>& warnings() const { return warnings_; }

  /// The error with which the node stopped itself (see
  /// `node_options::on_failure`), or none while it works.
  caf::error failure() const;

  /// After a failure: asks the store to resume (RocksDB's `Resume`) and
  /// checks its free-space reserve; succeeds once the cause is gone (room on
  /// the disk again). Call it until it succeeds, then `restart`.
  caf::error resume_store();

  /// After a failure: stops every actor and starts them again over the same
  /// open store (which is not closed and reopened), recovering every
  /// acknowledged job as a new start would. Fails like `start`.
  caf::error restart();

  /// After a failure, before the process exits or replaces itself (exec):
  /// stops every actor like `shutdown`, but leaves the store open for the
  /// rest of the process. A RocksDB that failed a write may abort when it is
  /// closed; the end of the process releases its files and lock instead,
  /// and everything acknowledged is in its log already.
  void abandon();

  /// On a node that joined a coordinator: the coordinator's gateway and the
  /// token of this node's session there, with which any actor may make the
  /// requests the node's principal may (`(token, submit_atom, spec)`, ...).
  /// Null handles elsewhere.
  const remote_session& session() const { return session_; }

  /// The TCP port the gateway is published on, or 0 if not listening.
  uint16_t port() const { return port_; }

  // -- blocking conveniences for code outside actors --------------------------
  // Each fails with `errc::invalid_transition` unless the node is started
  // (and, for jobs and controls, has a scheduler: not on a bare node).

  /// Sets (or replaces) a concurrency quota and rate limit of a type or
  /// owner; returns every control in force once the change is stored.
  caf::expected<dispatch_controls> set_limit(dispatch_limit limit);

  /// Removes the limit of a type or owner (`errc::not_found` if none).
  caf::expected<dispatch_controls> clear_limit(control_scope scope,
                                               std::string key);

  /// Holds back the queued jobs of a type (scope type) or one job (scope
  /// job); running attempts go on. Stored, so it survives a restart.
  caf::expected<dispatch_controls> pause(control_scope scope, std::string key);

  /// Lifts a pause; the jobs it held back are dispatched at once.
  caf::expected<dispatch_controls> resume(control_scope scope, std::string key);

  /// Every limit and pause in force.
  caf::expected<dispatch_controls> controls();

  /// Submits `spec`; returns the job id once the job is durable.
  caf::expected<std::string> submit(job_spec spec);

  /// Submits `specs` all or nothing; returns their ids once durable.
  caf::expected<std::vector<std::string>> submit(std::vector<job_spec> specs);

  /// Asks this coordinator to spawn an executor into the bare node at
  /// `host:port`; returns the executor's name once it has registered.
  caf::expected<std::string> spawn_executor(const std::string& host,
                                            uint16_t port,
                                            executor_settings settings);

  /// Returns the stored record of job `id`.
  caf::expected<job_record> get(const std::string& id);

  /// Appends `x` to this node's audit trail (an `at_us` of 0 is stamped
  /// now); returns once it is durable. Only on a node with a store.
  caf::error record_audit(audit_entry x);

  /// Returns the audit entries matching `query`, oldest first (on an
  /// executor node: the coordinator's). Fails with `errc::invalid_field`
  /// naming a field out of range.
  caf::expected<std::vector<audit_entry>> audit(const audit_query& query);

  /// Blocks until every job in `ids` is terminal or `timeout` passes; returns
  /// their records in the order given.
  caf::expected<std::vector<job_record>>
  wait(const std::vector<std::string>& ids,
       std::chrono::milliseconds timeout = std::chrono::minutes(5));

private:
  /// No error if the node runs and has a scheduler to ask for `what`.
  caf::error check_started(const char* what) const;
  caf::error start_coordinator();
  caf::expected<std::shared_ptr<job_store>> open_store();
  scheduler_config scheduler_settings() const;
  void spawn_cleaner();
  caf::error start_member();
  /// Waits up to `join_timeout` for the first join of `member_`.
  caf::error await_join();
  caf::error start_bare();
  /// Publishes the gateway behind the guard and writes the secret of
  /// loopback clients (node_security.cpp).
  caf::error publish(const coordinator_actors& actors);
  /// Puts the BASP guard on the listening port in front of the BASP broker,
  /// reaching `published` (may be null).
  caf::error guard_port(caf::strong_actor_ptr published,
                        std::set<std::string> signatures);
  /// Reads what the node checks peers against: the CA, the secret file's
  /// place. Fails naming the bad setting.
  caf::error load_security();
  /// Removes the pointer to this node's secret.
  void forget_secret();
  void make_system(bool with_middleman);
  executor_options local_executor_options() const;
  void stop_spawned(caf::scoped_actor& self);
  void watch_for_failure();

  node_options options_;
  std::shared_ptr<handler_map> handlers_;
  std::shared_ptr<validator_map> validators_;
  std::unique_ptr<caf::actor_system_config> config_;
  std::unique_ptr<caf::actor_system> system_;
  persistence_actor persistence_;
  queue_actor queue_;
  scheduler_actor scheduler_;
  status_reporter_actor reporter_;
  audit_recorder_actor audit_;
  executor_actor executor_;
  /// The local executor's uplink.
  executor_uplink_actor local_uplink_;
  /// The session of a node that joined a coordinator.
  remote_session session_;
  schedule_keeper_actor schedule_keeper_;
  gateway_actor gateway_;
  cluster_registry_actor registry_;
  coordinator_link_actor member_;
  /// Executors spawned into this bare node by coordinators.
  std::shared_ptr<struct spawned_executors> spawned_;
  retention_cleaner_actor cleaner_;
  /// Guards the listening port and hands connections to CAF's BASP broker.
  caf::actor guard_;
  uint16_t port_ = 0;
  /// The secret of loopback clients, and the file it was written to.
  std::string secret_;
  std::string secret_path_;
  /// The cluster CA's certificate (PEM) when TLS is on.
  std::string ca_pem_;
  std::vector<std::string> warnings_;
  std::shared_ptr<struct node_failure> failure_;
  std::shared_ptr<job_store> store_;
  /// The open store a `restart` hands to the next start.
  std::shared_ptr<job_store> kept_store_;
  caf::actor watchdog_;
};

} // namespace troupe
