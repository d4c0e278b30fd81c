// The typed interface of every troupe actor: its whole protocol in one place.
// Request handlers reply with a value or a troupe error (see errc.hpp).
#pragma once

#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/error.hpp"
#include "caf/replies_to.hpp"
#include "caf/typed_actor.hpp"

#include "troupe/messages/atoms.hpp"
#include "troupe/messages/audit_entry.hpp"
#include "troupe/messages/backup_report.hpp"
#include "troupe/messages/cluster.hpp"
#include "troupe/messages/dispatch_limit.hpp"
#include "troupe/messages/job_dispatch.hpp"
#include "troupe/messages/job_event.hpp"
#include "troupe/messages/job_listing.hpp"
#include "troupe/messages/job_query.hpp"
#include "troupe/messages/job_record.hpp"
#include "troupe/messages/job_spec.hpp"
#include "troupe/messages/persist_batch.hpp"
#include "troupe/messages/recovered_jobs.hpp"
#include "troupe/messages/schedule.hpp"
#include "troupe/messages/session.hpp"
#include "troupe/messages/statistics.hpp"

namespace troupe {

/// Where an executor reports, pulls and registers; defined below, once every
/// actor type it names is.
struct coordinator_peers;

/// The coordinator's own actors, as its local actors know them; defined
/// below. None of them takes a message from another node.
struct coordinator_actors;

/// Runs handlers in slots; fed by the queue, reports to the scheduler.
using executor_actor = caf::typed_actor<
    // Run these attempts (from the queue, in the order it handed them out).
    caf::reacts_to<dispatch_atom, std::vector<job_dispatch>>,
    // Ask a running attempt to stop (cooperative flag).
    caf::reacts_to<cancel_atom, std::string, uint32_t>,
    // A slot began an attempt (from the slot's thread): id, attempt.
    caf::reacts_to<started_atom, std::string, uint32_t>,
    // A slot finished an attempt (from the slot's thread), and the
    // microseconds its handler ran.
    caf::reacts_to<finished_atom, attempt_outcome, int64_t>,
    // Sends the reports collected since the last flush, at once.
    caf::reacts_to<flush_atom>,
    // A handler reported progress (from the slot's thread): id, attempt,
    // fraction, message.
    caf::reacts_to<progress_atom, std::string, uint32_t, double, std::string>,
    // Heartbeat timer.
    caf::reacts_to<heartbeat_atom>,
    // Serve this coordinator from now on (first join or a reconnect).
    caf::reacts_to<join_atom, coordinator_peers>,
    // The coordinator is gone: keep running attempts, report nothing.
    caf::reacts_to<leave_atom>,
    // Replies once no attempt runs any more (used for graceful shutdown).
    caf::replies_to<drain_atom>::with<ok_atom>>;

/// Ready jobs by priority; dispatches to executors with free slots.
using queue_actor = caf::typed_actor<
    caf::reacts_to<enqueue_atom, std::vector<job_dispatch>>,
    // Remove job `id` unless it is already dispatched.
    caf::reacts_to<dequeue_atom, std::string>,
    // `executor` handles `types` and takes `credits` more attempts, as of
    // its announcement `epoch`: a newer epoch replaces the credits held,
    // the same adds to them, an older one is stale and ignored. It keeps
    // `waiting` attempts beyond its slots (the last number before the
    // epoch), so credits beyond that many are free slots.
    caf::reacts_to<demand_atom, executor_actor, std::vector<std::string>,
                   uint32_t, uint32_t, uint64_t>,
    // Forget a lost executor; replies with the attempts
    // last dispatched to it.
    caf::replies_to<lost_atom, executor_actor>::with<std::vector<job_dispatch>>,
    // The dispatched attempts of these jobs ended: they no
    // longer count against quotas.
    caf::reacts_to<finished_atom, std::vector<std::string>>,
    // Replace every limit and pause in force.
    caf::reacts_to<limits_atom, dispatch_controls>,
    // Internal: a token bucket may have refilled.
    caf::reacts_to<tick_atom>,
    // Jobs held back now: only `throttled` and `paused` set.
    caf::replies_to<stats_atom>::with<stats_snapshot>>;

/// Owns the RocksDB store; group-commits writes; serves reads.
using persistence_actor = caf::typed_actor<
    // Acknowledged with (persisted_atom, ticket, error) to the sender.
    caf::reacts_to<persist_atom, persist_batch>, caf::reacts_to<commit_atom>,
    caf::replies_to<get_atom, std::string>::with<job_record>,
    caf::replies_to<lookup_atom,
                    std::vector<std::string>>::with<std::vector<job_record>>,
    caf::replies_to<history_atom,
                    std::string>::with<std::vector<history_entry>>,
    caf::replies_to<list_atom, job_query>::with<job_listing>,
    caf::replies_to<purge_atom, int64_t>::with<purge_report>,
    // A checkpoint of everything acknowledged so far into a new directory.
    caf::replies_to<backup_atom, std::string>::with<backup_report>,
    // Store a limit, erase one, store or erase a pause (true: paused).
    caf::replies_to<limits_atom, dispatch_limit>::with<ok_atom>,
    caf::replies_to<limits_atom, delete_atom, control_scope,
                    std::string>::with<ok_atom>,
    caf::replies_to<pause_atom, control_scope, std::string,
                    bool>::with<ok_atom>,
    // The latest job of each unique key that has one (in no particular order).
    caf::replies_to<lookup_atom, unique_atom,
                    std::vector<std::string>>::with<std::vector<job_record>>,
    // Replies once every batch received before it is durable.
    caf::replies_to<flush_atom>::with<caf::ok_atom>,
    // Up to `limit` jobs in a non-terminal status after the cursor (empty:
    // from the first), oldest first, with the next cursor.
    caf::replies_to<recover_atom, job_status, std::string,
                    uint32_t>::with<recovered_jobs>,
    // The number of stored jobs by status (in `by_status`; nothing else).
    caf::replies_to<stats_atom>::with<stats_snapshot>,
    // Appends to the audit trail; replies once the entries are durable.
    caf::replies_to<audit_atom, std::vector<audit_entry>>::with<ok_atom>,
    // Audit entries matching the query, oldest first.
    caf::replies_to<audit_atom, audit_query>::with<std::vector<audit_entry>>,
    // Deletes audit entries older than the cutoff; replies how many.
    caf::replies_to<purge_atom, audit_atom, int64_t>::with<uint64_t>>;

/// The front door: validates, assigns ids, owns every job's state machine.
using scheduler_actor = caf::typed_actor<
    caf::replies_to<submit_atom, job_spec>::with<std::string>,
    caf::replies_to<submit_atom,
                    std::vector<job_spec>>::with<std::vector<std::string>>,
    caf::replies_to<cancel_atom, std::string>::with<job_status>,
    caf::replies_to<retry_atom, std::string>::with<job_status>,
    // Retries every failed (or cancelled) job matching the query's filters,
    // at most `limit` of them; replies with the ids retried.
    caf::replies_to<retry_atom, job_query>::with<std::vector<std::string>>,
    // The same three on behalf of an authenticated principal (last), whom
    // the history names.
    caf::replies_to<cancel_atom, std::string, std::string>::with<job_status>,
    caf::replies_to<retry_atom, std::string, std::string>::with<job_status>,
    caf::replies_to<retry_atom, job_query,
                    std::string>::with<std::vector<std::string>>,
    // Attempts an executor began: executor, node, the attempts, and the
    // executor's handle.
    caf::reacts_to<started_atom, std::string, std::string,
                   std::vector<attempt_start>, executor_actor>,
    // id, attempt, fraction, message, fence
    caf::reacts_to<progress_atom, std::string, uint32_t, double, std::string,
                   uint64_t>,
    caf::reacts_to<finished_atom, std::vector<attempt_outcome>>,
    caf::reacts_to<persisted_atom, uint64_t, caf::error>,
    caf::reacts_to<released_atom, std::vector<std::string>>,
    // id, failed dependency, its status
    caf::reacts_to<dep_failed_atom, std::string, std::string, job_status>,
    // Take over the unfinished jobs of the store, page by page.
    caf::reacts_to<recover_atom>,
    // An executor is gone: node, reason, and the attempts dispatched to it
    // that it may not have started.
    caf::reacts_to<lost_atom, executor_actor, std::string, std::string,
                   std::vector<job_dispatch>>,
    caf::reacts_to<tick_atom>, caf::reacts_to<flush_atom>,
    // Stop accepting submissions; reply once every transition is durable.
    caf::replies_to<drain_atom>::with<caf::ok_atom>,
    // Dispatch controls: each change is stored before it is applied and
    // answered with every control then in force.
    caf::replies_to<limits_atom, get_atom>::with<dispatch_controls>,
    caf::replies_to<limits_atom, dispatch_limit>::with<dispatch_controls>,
    caf::replies_to<limits_atom, delete_atom, control_scope,
                    std::string>::with<dispatch_controls>,
    // Scope type or job, and the type name or job id.
    caf::replies_to<pause_atom, control_scope,
                    std::string>::with<dispatch_controls>,
    caf::replies_to<resume_atom, control_scope,
                    std::string>::with<dispatch_controls>,
    // The controls read from the store at start.
    caf::reacts_to<limits_atom, dispatch_controls>,
    // Periodic schedules, forwarded to the schedule keeper.
    caf::replies_to<schedules_atom, add_atom,
                    periodic_schedule>::with<periodic_schedule>,
    caf::replies_to<schedules_atom,
                    list_atom>::with<std::vector<periodic_schedule>>,
    caf::replies_to<schedules_atom, delete_atom, std::string>::with<ok_atom>>;

/// Keeps the periodic schedules; fires each as a job through the scheduler.
using schedule_keeper_actor = caf::typed_actor<
    // Starts firing into this scheduler.
    caf::reacts_to<arm_atom, scheduler_actor>,
    // Adds a schedule (a new name) and replies with its next firing.
    caf::replies_to<schedules_atom, add_atom,
                    periodic_schedule>::with<periodic_schedule>,
    caf::replies_to<schedules_atom,
                    list_atom>::with<std::vector<periodic_schedule>>,
    caf::replies_to<schedules_atom, delete_atom, std::string>::with<ok_atom>,
    // Timer of the next firing.
    caf::reacts_to<tick_atom>>;

/// The job DAG; answers the scheduler with released_atom / dep_failed_atom.
using dependency_tracker_actor = caf::typed_actor<
    caf::reacts_to<watch_atom, std::string, std::vector<std::string>>,
    caf::reacts_to<settled_atom, std::string, job_status>>;

/// The read side: status, history, listings, statistics, subscriptions.
using status_reporter_actor = caf::typed_actor<
    caf::reacts_to<events_atom, std::vector<job_event>>,
    // Subscriber receives every matching `job_event` as a message.
    caf::replies_to<subscribe_atom, subscription_scope, std::string,
                    caf::actor>::with<caf::ok_atom>,
    caf::reacts_to<unsubscribe_atom, caf::actor>,
    caf::replies_to<get_atom, std::string>::with<job_record>,
    caf::replies_to<history_atom,
                    std::string>::with<std::vector<history_entry>>,
    caf::replies_to<list_atom, job_query>::with<job_listing>,
    caf::replies_to<purge_atom, int64_t>::with<purge_report>,
    // A checkpoint of everything acknowledged so far into a new directory.
    caf::replies_to<backup_atom, std::string>::with<backup_report>,
    // The same two on behalf of an authenticated principal (last), whom the
    // audit trail names.
    caf::replies_to<purge_atom, int64_t, std::string>::with<purge_report>,
    caf::replies_to<backup_atom, std::string, std::string>::with<backup_report>,
    caf::replies_to<stats_atom>::with<stats_snapshot>,
    // Jobs were purged: count the ended jobs in the store again.
    caf::reacts_to<stats_atom, caf::update_atom>,
    caf::reacts_to<heartbeat_atom, executor_info>,
    // Executor `name` is gone: drop it from the worker table.
    caf::reacts_to<lost_atom, std::string>,
    caf::replies_to<workers_atom>::with<std::vector<executor_info>>,
    // The audit trail, read from persistence.
    caf::replies_to<audit_atom, audit_query>::with<std::vector<audit_entry>>>;

/// Batches audit entries from local actors into durable appends.
using audit_recorder_actor = caf::typed_actor<
    // Records one entry (fire and forget; at_us 0 is stamped on arrival).
    caf::reacts_to<audit_atom, audit_entry>,
    // Records entries; replies once they are durable.
    caf::replies_to<audit_atom, std::vector<audit_entry>>::with<ok_atom>,
    // Replies once every entry received before it is durable.
    caf::replies_to<flush_atom>::with<ok_atom>,
    // Internal: write what has been collected.
    caf::reacts_to<commit_atom>>;

/// Executors joining and leaving; monitors each and reports losses.
using cluster_registry_actor = caf::typed_actor<
    // An executor joins with what it advertises.
    caf::reacts_to<register_atom, executor_actor, executor_info>,
    // An executor cannot serve as asked (e.g. a type its node lacks).
    caf::reacts_to<register_atom, executor_actor, caf::error>,
    // Spawns an executor into a bare node; replies with its name.
    caf::replies_to<spawn_atom, spawn_request>::with<std::string>>;
/// Purges old terminal jobs on a period (automatic retention cleanup).
using retention_cleaner_actor = caf::typed_actor<
    // Time for the next cleanup (a delayed message to itself).
    caf::reacts_to<tick_atom>>;

/// What an executor reports through: one per session of an `executor`
/// principal, on the coordinator. Every message carries the session's
/// token; reports name only executors registered through it.
using executor_uplink_actor = caf::typed_actor<
    caf::reacts_to<std::string, register_atom, executor_actor, executor_info>,
    caf::reacts_to<std::string, register_atom, executor_actor, caf::error>,
    // types, credits, waiting, epoch (see the queue's demand)
    caf::reacts_to<std::string, demand_atom, executor_actor,
                   std::vector<std::string>, uint32_t, uint32_t, uint64_t>,
    // executor, node, the attempts it began
    caf::reacts_to<std::string, started_atom, std::string, std::string,
                   std::vector<attempt_start>>,
    // id, attempt, fraction, message, fence
    caf::reacts_to<std::string, progress_atom, std::string, uint32_t, double,
                   std::string, uint64_t>,
    caf::reacts_to<std::string, finished_atom, std::vector<attempt_outcome>>,
    caf::reacts_to<std::string, heartbeat_atom, executor_info>>;

/// What a coordinator publishes on its port. A caller logs in first (a
/// challenge to sign, then credentials); every later request carries the
/// session's token (the first element) and is checked against the roles of
/// its principal before it reaches a local actor.
using gateway_actor = caf::typed_actor<
    caf::replies_to<hello_atom>::with<std::string>,
    caf::replies_to<login_atom, credentials>::with<session_grant>,
    // An executor node joins: where to register, pull and report.
    caf::replies_to<std::string, join_atom>::with<coordinator_peers>,
    caf::replies_to<std::string, spawn_atom, spawn_request>::with<std::string>,
    caf::replies_to<std::string, submit_atom, job_spec>::with<std::string>,
    caf::replies_to<std::string, submit_atom,
                    std::vector<job_spec>>::with<std::vector<std::string>>,
    caf::replies_to<std::string, cancel_atom, std::string>::with<job_status>,
    caf::replies_to<std::string, retry_atom, std::string>::with<job_status>,
    caf::replies_to<std::string, retry_atom,
                    job_query>::with<std::vector<std::string>>,
    caf::replies_to<std::string, get_atom, std::string>::with<job_record>,
    caf::replies_to<std::string, history_atom,
                    std::string>::with<std::vector<history_entry>>,
    caf::replies_to<std::string, list_atom, job_query>::with<job_listing>,
    caf::replies_to<std::string, purge_atom, int64_t>::with<purge_report>,
    caf::replies_to<std::string, backup_atom, std::string>::with<backup_report>,
    caf::replies_to<std::string, stats_atom>::with<stats_snapshot>,
    caf::replies_to<std::string, audit_atom,
                    audit_query>::with<std::vector<audit_entry>>,
    caf::replies_to<std::string,
                    workers_atom>::with<std::vector<executor_info>>,
    caf::replies_to<std::string, subscribe_atom, subscription_scope,
                    std::string, caf::actor>::with<caf::ok_atom>,
    caf::replies_to<std::string, limits_atom,
                    get_atom>::with<dispatch_controls>,
    caf::replies_to<std::string, limits_atom,
                    dispatch_limit>::with<dispatch_controls>,
    caf::replies_to<std::string, limits_atom, delete_atom, control_scope,
                    std::string>::with<dispatch_controls>,
    caf::replies_to<std::string, pause_atom, control_scope,
                    std::string>::with<dispatch_controls>,
    caf::replies_to<std::string, resume_atom, control_scope,
                    std::string>::with<dispatch_controls>,
    caf::replies_to<std::string, schedules_atom, add_atom,
                    periodic_schedule>::with<periodic_schedule>,
    caf::replies_to<std::string, schedules_atom,
                    list_atom>::with<std::vector<periodic_schedule>>,
    caf::replies_to<std::string, schedules_atom, delete_atom,
                    std::string>::with<ok_atom>>;

/// An executor node's link to its coordinator: joins it, and joins it again
/// with backoff after losing it.
using coordinator_link_actor = caf::typed_actor<
    // Try to (re)join now.
    caf::reacts_to<connect_atom>,
    // Replies with the coordinator's actors once joined.
    caf::replies_to<get_atom>::with<coordinator_peers>>;

/// What an executor gets from the coordinator it serves: the uplink it
/// reports through, the token every report carries, and the gateway, where
/// the same token makes the requests its principal's roles allow (null for
/// executors spawned into bare nodes, which have no session).
struct coordinator_peers {
  executor_uplink_actor uplink;
  std::string token;
  gateway_actor gateway;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, coordinator_peers& x) {
  return f(caf::meta::type_name("troupe::coordinator_peers"), x.uplink, x.token,
           x.gateway);
}

struct coordinator_actors {
  scheduler_actor scheduler;
  queue_actor queue;
  cluster_registry_actor registry;
  status_reporter_actor reporter;
};

} // namespace troupe
