// Fan-out of job events and the read-side queries. Reads are relayed to
// persistence, which answers from the store after committing pending writes.
#include "troupe/actors/status_reporter/status_reporter.hpp"
#include "troupe/messages/request_timeouts.hpp"

#include <algorithm>

#include "caf/send.hpp"

#include "troupe/actors/audit/audit_log.hpp"
#include "troupe/actors/cluster/cluster_input.hpp"
#include "troupe/actors/scheduler/spec_validation.hpp"
#include "troupe/actors/wall_clock.hpp"
#include "troupe/logging/log.hpp"
#include "troupe/messages/errc.hpp"

namespace troupe {

namespace {

using self_ptr = status_reporter_actor::stateful_pointer<status_reporter_state>;

constexpr auto read_timeout = troupe::request_timeouts::store;
// A checkpoint flushes memtables and links or copies every table file: as
// long as a purge may take.
constexpr auto backup_timeout = troupe::request_timeouts::store_purge;

void publish(self_ptr self, const job_event& event) {
  self->state.subscriptions.for_each_recipient(
      event, [&](const caf::actor_addr& addr) {
        if (auto sub = caf::actor_cast<caf::actor>(addr))
          caf::anon_send(sub, event);
      });
}

/// Checks a subscription from outside; a bad one changes nothing.
caf::error check_subscription(subscription_scope scope, const std::string& key,
                              const caf::actor& subscriber) {
  if (!subscriber)
    return make_error(errc::invalid_field,
                      "subscriber: must be a live actor, got a null handle");
  switch (scope) {
  case subscription_scope::job:
    if (!is_valid_job_id(key))
      return make_error(errc::invalid_field,
                        "key: a job id must match " + job_id_rule);
    return caf::none;
  case subscription_scope::type:
    if (!is_valid_type_name(key))
      return make_error(errc::invalid_field,
                        "key: a job type must match " + type_name_rule);
    return caf::none;
  case subscription_scope::all:
    return caf::none;
  }
  return make_error(errc::invalid_field,
                    "scope: must be job, type or all, got " +
                        std::to_string(static_cast<int>(scope)));
}

caf::result<ok_atom> subscribe(self_ptr self, subscription_scope scope,
                               const std::string& key,
                               const caf::actor& subscriber) {
  if (auto err = check_subscription(scope, key, subscriber))
    return err;
  auto& table = self->state.subscriptions;
  auto addr = subscriber.address();
  bool known = table.contains(addr);
  switch (table.add(addr, scope, key)) {
  case subscribe_outcome::over_limit:
    return make_error(errc::invalid_field,
                      "subscriber: holds the most subscriptions allowed (" +
                          std::to_string(table.count(addr)) + ")");
  case subscribe_outcome::added:
    if (!known)
      self->monitor(subscriber); // Once per subscriber, not per subscription.
    break;
  case subscribe_outcome::folded:
    break;
  }
  return ok_atom_v;
}

/// Asks persistence and answers the client. Not `delegate`: persistence is a
/// detached actor, and its replies to remote clients could outlive a
/// client's connection inside the middleman, keeping its thread (and the
/// actor system's shutdown) waiting.
template <class T, class... Ts>
caf::typed_response_promise<T> relay(self_ptr self, caf::timespan timeout,
                                     Ts... xs) {
  auto rp = self->make_response_promise<T>();
  self->request(self->state.persistence, timeout, xs...)
      .then([rp](T& result) mutable { rp.deliver(std::move(result)); },
            [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

/// Records `entry` (the outcome of a control action) in the audit trail,
/// then calls `then`: the caller hears of the action only once its trace
/// is durable. A trail that cannot be written is logged, not fatal.
template <class Then>
void record_then(self_ptr self, audit_entry entry, Then then) {
  if (!self->state.audit) {
    then();
    return;
  }
  self->request(self->state.audit, read_timeout, audit_atom_v,
                std::vector<audit_entry>{std::move(entry)})
      .then([then](ok_atom) mutable { then(); },
            [then](caf::error& err) mutable {
              log_error("troupe: a control action was not recorded in the "
                        "audit trail: ",
                        message_of(err));
              then();
            });
}

/// Like `relay`, for a control action: the outcome is recorded as `entry`
/// (its detail from `describe(result)` on success) before it is delivered.
template <class T, class Describe, class... Ts>
caf::typed_response_promise<T>
audited_relay(self_ptr self, caf::timespan timeout, audit_entry entry,
              Describe describe, Ts... xs) {
  auto rp = self->make_response_promise<T>();
  auto finish = [self, rp, entry](caf::expected<T> outcome,
                                  std::string detail) mutable {
    auto x = make_audit_entry(entry.principal, entry.action, entry.target,
                              outcome ? caf::error{} : outcome.error(),
                              std::move(detail));
    record_then(self, std::move(x), [rp, outcome]() mutable {
      if (outcome)
        rp.deliver(std::move(*outcome));
      else
        rp.deliver(std::move(outcome.error()));
    });
  };
  self->request(self->state.persistence, timeout, xs...)
      .then(
          [finish, describe](T& result) mutable {
            auto detail = describe(result);
            finish(std::move(result), std::move(detail));
          },
          [finish](caf::error& err) mutable { finish(std::move(err), {}); });
  return rp;
}

std::string describe_purge(const purge_report& x) {
  return "purged " + std::to_string(x.purged) + " jobs" +
         (x.damaged.empty()
              ? std::string{}
              : ", skipped " + std::to_string(x.damaged.size()) + " damaged");
}

std::string describe_backup(const backup_report& x) {
  return std::to_string(x.jobs) + " jobs, " + std::to_string(x.bytes) +
         " bytes in " + x.path;
}

void recount_terminal(self_ptr self);

caf::typed_response_promise<purge_report>
purge(self_ptr self, int64_t before_us, const std::string& principal) {
  auto rp = audited_relay<purge_report>(
      self, request_timeouts::store_purge,
      make_audit_entry(principal, "cleanup",
                       "finished before " + audit_time_text(before_us)),
      describe_purge, purge_atom_v, before_us);
  recount_terminal(self);
  return rp;
}

caf::typed_response_promise<backup_report>
backup(self_ptr self, const std::string& dir, const std::string& principal) {
  return audited_relay<backup_report>(
      self, backup_timeout, make_audit_entry(principal, "backup", dir),
      describe_backup, backup_atom_v, dir);
}

/// The statistics, with what the queue holds back by limits and pauses.
caf::typed_response_promise<stats_snapshot>
stats_with_throttling(self_ptr self) {
  auto rp = self->make_response_promise<stats_snapshot>();
  auto snapshot =
      self->state.stats.snapshot(wall_clock{self->clock()}.now_us());
  if (!self->state.queue) {
    rp.deliver(std::move(snapshot));
    return rp;
  }
  self->request(self->state.queue, read_timeout, stats_atom_v)
      .then(
          [rp, snapshot](stats_snapshot& held) mutable {
            snapshot.throttled = std::move(held.throttled);
            snapshot.paused = held.paused;
            rp.deliver(std::move(snapshot));
          },
          [rp, snapshot](caf::error&) mutable {
            // The queue is gone (shutting down): the rest is still true.
            rp.deliver(std::move(snapshot));
          });
  return rp;
}

/// Counts the ended jobs in the store again, after a purge removed some.
/// Persistence answers in order, so this reads the store after the purge.
void recount_terminal(self_ptr self) {
  self->request(self->state.persistence, read_timeout, stats_atom_v)
      .then(
          [=](stats_snapshot& stored) {
            self->state.stats.recount_terminal(stored.by_status);
          },
          [](caf::error&) {
            // nop: the counts stay as they were until the next purge.
          });
}

} // namespace

status_reporter_actor::behavior_type status_reporter(
    local_only_pointer<status_reporter_actor, status_reporter_state> self,
    persistence_actor persistence, job_statistics stats, queue_actor queue,
    status_reporter_config config, audit_recorder_actor audit) {
  self->state.persistence = std::move(persistence);
  self->state.audit = std::move(audit);
  self->state.queue = std::move(queue);
  self->state.stats = std::move(stats);
  self->state.subscriptions = subscription_table<caf::actor_addr>{
      config.max_subscriptions_per_subscriber};
  self->set_down_handler([=](const caf::down_msg& msg) {
    self->state.subscriptions.remove(msg.source);
  });
  return {
      [=](events_atom, const std::vector<job_event>& events) {
        for (const auto& event : events) {
          self->state.stats.apply(event);
          publish(self, event);
        }
      },
      [=](subscribe_atom, subscription_scope scope, const std::string& key,
          const caf::actor& subscriber) {
        return subscribe(self, scope, key, subscriber);
      },
      [=](unsubscribe_atom, const caf::actor& subscriber) {
        if (!subscriber)
          return;
        self->demonitor(subscriber);
        self->state.subscriptions.remove(subscriber.address());
      },
      [=](get_atom, const std::string& id) {
        return relay<job_record>(self, read_timeout, get_atom_v, id);
      },
      [=](history_atom, const std::string& id) {
        return relay<std::vector<history_entry>>(self, read_timeout,
                                                 history_atom_v, id);
      },
      [=](list_atom, const job_query& query) -> caf::result<job_listing> {
        if (auto err = validate_list_query(query))
          return err;
        return relay<job_listing>(self, read_timeout, list_atom_v, query);
      },
      [=](purge_atom, int64_t before_us) { return purge(self, before_us, ""); },
      [=](backup_atom, const std::string& dir) {
        return backup(self, dir, "");
      },
      [=](purge_atom, int64_t before_us, const std::string& principal) {
        return purge(self, before_us, principal);
      },
      [=](backup_atom, const std::string& dir, const std::string& principal) {
        return backup(self, dir, principal);
      },
      [=](audit_atom, const audit_query& query) {
        return relay<std::vector<audit_entry>>(self, read_timeout, audit_atom_v,
                                               query);
      },
      [=](stats_atom, caf::update_atom) { recount_terminal(self); },
      [=](stats_atom) { return stats_with_throttling(self); },
      [=](heartbeat_atom, executor_info& info) {
        if (auto err = check_executor_info(info))
          return report_refused("a heartbeat", err);
        // Ages are measured on this node's clock, not the executor's.
        info.heartbeat_us = wall_clock{self->clock()}.now_us();
        auto name = info.name;
        self->state.workers[name] = std::move(info);
      },
      [=](lost_atom, const std::string& name) {
        self->state.workers.erase(name);
      },
      [=](workers_atom) {
        std::vector<executor_info> result;
        for (const auto& [name, info] : self->state.workers)
          result.push_back(info);
        return result;
      },
  };
}

} // namespace troupe
