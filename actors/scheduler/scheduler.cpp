// The scheduler shell: collects the state machine's writes into batches, sends
// them to persistence, and performs effects and replies only once they are
// acknowledged, in order. Lookups of unknown ids go to the store first.
#include "troupe/actors/scheduler/scheduler.hpp"
#include "troupe/messages/request_timeouts.hpp"

#include <chrono>
#include <memory>

#include "caf/typed_event_based_actor.hpp"

#include "troupe/actors/cluster/cluster_input.hpp"
#include "troupe/actors/dependency_tracker/dependency_tracker.hpp"
#include "troupe/actors/scheduler/scheduler_commit.hpp"
#include "troupe/actors/scheduler/scheduler_dispatch_controls.hpp"
#include "troupe/actors/scheduler/scheduler_executor_loss.hpp"
#include "troupe/actors/scheduler/scheduler_recovery.hpp"
#include "troupe/actors/scheduler/scheduler_retry.hpp"
#include "troupe/actors/scheduler/spec_validation.hpp"
#include "troupe/messages/errc.hpp"

namespace troupe {

namespace {

using self_ptr = scheduler_actor::stateful_pointer<scheduler_actor_state>;

constexpr auto lookup_timeout = troupe::request_timeouts::store;

using detail::changed;
using detail::now_us;
using detail::reply_when_durable;

void arm_tick(self_ptr self) {
  auto& st = self->state;
  auto next = st.machine->next_timer();
  if (!next || (st.armed_tick && *st.armed_tick <= *next))
    return;
  st.armed_tick = *next;
  auto delay = std::max<int64_t>(0, *next - now_us(self));
  self->delayed_send(self, std::chrono::microseconds(delay), tick_atom_v);
}

/// Runs `then` once every id in `ids` unknown to the scheduler was looked up.
void with_lookup(self_ptr self, std::vector<std::string> ids,
                 std::function<void(std::vector<job_record>)> then,
                 std::function<void(const caf::error&)> fail) {
  if (ids.empty()) {
    then({});
    return;
  }
  if (detail::defer_until_recovered(
          self, [=] { with_lookup(self, ids, then, fail); }, fail))
    return;
  self->request(self->state.peers.persistence, lookup_timeout, lookup_atom_v,
                std::move(ids))
      .then(
          [=](std::vector<job_record>& found) {
            self->state.machine->learn(found);
            then(std::move(found));
          },
          [=](caf::error& err) { fail(err); });
}

/// Runs `then` once the latest job of each unique key in `keys` that the
/// scheduler does not know was looked up (their windows may still hold).
void with_unique_lookup(self_ptr self, std::vector<std::string> keys,
                        std::function<void()> then,
                        std::function<void(const caf::error&)> fail) {
  if (keys.empty()) {
    then();
    return;
  }
  if (detail::defer_until_recovered(
          self, [=] { with_unique_lookup(self, keys, then, fail); }, fail))
    return;
  self->request(self->state.peers.persistence, lookup_timeout, lookup_atom_v,
                unique_atom_v, std::move(keys))
      .then(
          [=](std::vector<job_record>& found) {
            self->state.machine->learn_unique(found);
            then();
          },
          [=](caf::error& err) { fail(err); });
}

template <class T>
void submit(self_ptr self, std::vector<job_spec> specs,
            caf::typed_response_promise<T> rp) {
  auto& st = self->state;
  if (st.commits.draining()) {
    rp.deliver(make_error(errc::shutting_down, "the node is shutting down"));
    return;
  }
  // Before any look-up, so an oversized batch costs nothing.
  if (auto err =
          validate_batch_size(specs.size(), st.machine->config().limits)) {
    rp.deliver(err);
    return;
  }
  auto unknown = st.machine->unknown_ids(specs);
  auto fail = [rp](const caf::error& err) mutable { rp.deliver(err); };
  auto found = std::make_shared<std::vector<job_record>>();
  auto admit = [=]() mutable {
    auto ids =
        self->state.machine->submit(std::move(specs), now_us(self), *found);
    if (!ids) {
      rp.deliver(ids.error());
      return;
    }
    self->state.commits.hold(
        [rp, ids = std::move(*ids)](const caf::error& err) mutable {
          if (err)
            rp.deliver(err);
          else if constexpr (std::is_same_v<T, std::string>)
            rp.deliver(ids.front());
          else
            rp.deliver(ids);
        });
    changed(self);
  };
  auto keys = st.machine->unknown_unique_keys(specs);
  auto by_key = [=](std::vector<job_record> records) mutable {
    *found = std::move(records);
    with_unique_lookup(self, keys, admit, fail);
  };
  with_lookup(self, std::move(unknown), std::move(by_key), std::move(fail));
}

/// Replies with the status after `command` once the change is durable.
void command(
    self_ptr self, const std::string& id,
    caf::typed_response_promise<job_status> rp,
    std::function<caf::expected<job_status>(const job_record*)> apply) {
  auto run = [=](std::vector<job_record> found) mutable {
    const job_record* stored = found.empty() ? nullptr : &found.front();
    reply_when_durable(self, rp, apply(stored));
  };
  std::vector<std::string> unknown;
  if (self->state.machine->find(id) == nullptr)
    unknown.push_back(id);
  with_lookup(self, std::move(unknown), std::move(run),
              [rp](const caf::error& err) mutable { rp.deliver(err); });
}

caf::typed_response_promise<job_status>
cancel_one(self_ptr self, const std::string& id, std::string principal) {
  auto rp = self->make_response_promise<job_status>();
  command(self, id, rp, [=](const job_record*) {
    return self->state.machine->cancel(id, now_us(self), principal);
  });
  return rp;
}

/// An executor began attempts. A stale or unfenced one is told to stop.
void started(self_ptr self, const std::string& executor,
             const std::string& node, const std::vector<attempt_start>& starts,
             const executor_actor& handle) {
  auto& st = self->state;
  if (starts.size() > remote_input_limits::max_credits)
    return report_refused(
        "a started report",
        make_error(errc::invalid_field,
                   "starts: at most " +
                       std::to_string(remote_input_limits::max_credits) +
                       " in one report, got " + std::to_string(starts.size())));
  for (const auto& x : starts) {
    if (auto err = check_started(x.id, executor, node)) {
      report_refused("a started report", err);
      continue;
    }
    if (st.machine->started(x.id, x.attempt, executor, node, x.fence,
                            now_us(self)))
      st.running_on[x.id] = handle;
    else if (handle) // Fenced: stale. Sent as the scheduler, whose node the
                     // executor checks.
      self->send(handle, cancel_atom_v, x.id, x.attempt);
  }
  changed(self);
}

void finished(self_ptr self, const std::vector<attempt_outcome>& outcomes) {
  bool any = false;
  for (const auto& outcome : outcomes) {
    if (auto err = check_outcome(outcome)) {
      report_refused("an outcome", err);
      continue;
    }
    any = self->state.machine->finished(outcome, now_us(self)) || any;
  }
  if (any)
    changed(self);
}

caf::error no_schedules() {
  return make_error(errc::invalid_field,
                    "schedule: this node keeps no periodic schedules");
}

} // namespace

namespace detail {

int64_t now_us(scheduler_actor::stateful_pointer<scheduler_actor_state> self) {
  return self->state.clock->now_us();
}

void reply_when_durable(
    scheduler_actor::stateful_pointer<scheduler_actor_state> self,
    caf::typed_response_promise<job_status> rp,
    caf::expected<job_status> status) {
  if (!status) {
    rp.deliver(status.error());
    return;
  }
  self->state.commits.hold([rp, s = *status](const caf::error& err) mutable {
    if (err)
      rp.deliver(err);
    else
      rp.deliver(s);
  });
  changed(self);
}

void changed(scheduler_actor::stateful_pointer<scheduler_actor_state> self) {
  auto& st = self->state;
  if (st.commits.request_flush())
    self->send(self, flush_atom_v);
  arm_tick(self);
}

} // namespace detail

scheduler_actor::behavior_type
scheduler(local_only_pointer<scheduler_actor, scheduler_actor_state> self,
          scheduler_config config, scheduler_peers peers) {
  auto& st = self->state;
  st.machine.emplace(std::move(config));
  st.clock.emplace(self->clock());
  st.peers = std::move(peers);
  st.tracker =
      self->spawn<caf::linked>(dependency_tracker, scheduler_actor{self});
  return {
      [=](submit_atom, job_spec& spec) {
        auto rp = self->make_response_promise<std::string>();
        submit(self, {std::move(spec)}, rp);
        return rp;
      },
      [=](submit_atom, std::vector<job_spec>& specs) {
        auto rp = self->make_response_promise<std::vector<std::string>>();
        submit(self, std::move(specs), rp);
        return rp;
      },
      [=](cancel_atom, const std::string& id) {
        return cancel_one(self, id, "client");
      },
      [=](retry_atom, const std::string& id) {
        return retry_one(self, id, "client");
      },
      [=](retry_atom, job_query& query) {
        return retry_matching(self, std::move(query), "client");
      },
      [=](cancel_atom, const std::string& id, const std::string& principal) {
        return cancel_one(self, id, principal);
      },
      [=](retry_atom, const std::string& id, const std::string& principal) {
        return retry_one(self, id, principal);
      },
      [=](retry_atom, job_query& query, const std::string& principal) {
        return retry_matching(self, std::move(query), principal);
      },
      [=](started_atom, const std::string& executor, const std::string& node,
          const std::vector<attempt_start>& starts,
          const executor_actor& handle) {
        started(self, executor, node, starts, handle);
      },
      [=](progress_atom, const std::string& id, uint32_t attempt,
          double fraction, const std::string& message, uint64_t fence) {
        if (auto err = check_progress(id, fraction, message))
          return report_refused("a progress report", err);
        self->state.machine->progress(id, attempt, fraction, message, fence,
                                      now_us(self));
        changed(self);
      },
      [=](finished_atom, const std::vector<attempt_outcome>& outcomes) {
        finished(self, outcomes);
      },
      [=](persisted_atom, uint64_t ticket, const caf::error& err) {
        persisted(self, ticket, err);
      },
      [=](released_atom, const std::vector<std::string>& ids) {
        self->state.machine->released(ids, now_us(self));
        changed(self);
      },
      [=](dep_failed_atom, const std::string& id, const std::string& dep,
          job_status status) {
        self->state.machine->dependency_failed(id, dep, status, now_us(self));
        changed(self);
      },
      [=](recover_atom) { begin_recovery(self); },
      [=](lost_atom, const executor_actor& handle, const std::string& node,
          const std::string& reason, std::vector<job_dispatch>& dispatched) {
        executor_lost(self, handle, node, reason, dispatched);
      },
      [=](tick_atom) {
        self->state.armed_tick.reset();
        self->state.machine->tick(now_us(self));
        changed(self);
      },
      [=](flush_atom) { flush(self); },
      [=](drain_atom) {
        auto rp = self->make_response_promise<ok_atom>();
        auto& commits = self->state.commits;
        abandon_recovery(
            self, make_error(errc::shutting_down, "the node is shutting down"));
        if (commits.add_drain_waiter([rp](const caf::error& err) mutable {
              if (err)
                rp.deliver(err);
              else
                rp.deliver(ok_atom_v);
            })) {
          // Durable before the drain is answered: an orderly stop is no crash.
          self->state.machine->note_stopping(now_us(self));
          changed(self);
        }
        commits.finish_drain_if_idle();
        return rp;
      },
      [=](limits_atom, get_atom) { return self->state.controls; },
      [=](limits_atom, dispatch_limit& limit) {
        auto rp = self->make_response_promise<dispatch_controls>();
        set_limit(self, std::move(limit), rp);
        return rp;
      },
      [=](limits_atom, delete_atom, control_scope scope,
          const std::string& key) {
        auto rp = self->make_response_promise<dispatch_controls>();
        clear_limit(self, scope, key, rp);
        return rp;
      },
      [=](pause_atom, control_scope scope, const std::string& key) {
        auto rp = self->make_response_promise<dispatch_controls>();
        set_paused(self, scope, key, true, rp);
        return rp;
      },
      [=](resume_atom, control_scope scope, const std::string& key) {
        auto rp = self->make_response_promise<dispatch_controls>();
        set_paused(self, scope, key, false, rp);
        return rp;
      },
      [=](limits_atom, dispatch_controls& controls) {
        adopt_controls(self, std::move(controls));
      },
      // Schedules belong to the schedule keeper; clients reach it through
      // the scheduler, the one front door the gateway hands out.
      [=](schedules_atom, add_atom,
          periodic_schedule& x) -> caf::result<periodic_schedule> {
        if (auto keeper = self->state.peers.schedules)
          return self->delegate(keeper, schedules_atom_v, add_atom_v,
                                std::move(x));
        return no_schedules();
      },
      [=](schedules_atom,
          list_atom) -> caf::result<std::vector<periodic_schedule>> {
        if (auto keeper = self->state.peers.schedules)
          return self->delegate(keeper, schedules_atom_v, list_atom_v);
        return no_schedules();
      },
      [=](schedules_atom, delete_atom,
          const std::string& name) -> caf::result<ok_atom> {
        if (auto keeper = self->state.peers.schedules)
          return self->delegate(keeper, schedules_atom_v, delete_atom_v, name);
        return no_schedules();
      },
  };
}

} // namespace troupe
