// Dispatch controls in the scheduler shell. A change is acknowledged only
// after persistence stored it, so an acknowledged change survives a restart.
#include "troupe/actors/scheduler/scheduler_dispatch_controls.hpp"
#include "troupe/messages/request_timeouts.hpp"

#include <chrono>
#include <functional>

#include "troupe/actors/scheduler/dispatch_rules.hpp"
#include "troupe/messages/errc.hpp"

namespace troupe {

namespace {

constexpr auto store_timeout = troupe::request_timeouts::store;

/// Applies `change` to the controls and hands them to the queue.
void apply_change(scheduler_self self,
                  const std::function<void(dispatch_controls&)>& change) {
  auto& st = self->state;
  change(st.controls);
  self->send(st.peers.queue, limits_atom_v, st.controls);
}

/// Runs `change` once persistence acknowledged `xs`, then replies.
template <class... Ts>
void store_then_apply(scheduler_self self, controls_promise rp,
                      std::function<void(dispatch_controls&)> change,
                      Ts... xs) {
  self->request(self->state.peers.persistence, store_timeout, xs...)
      .then(
          [=](ok_atom) mutable {
            apply_change(self, change);
            rp.deliver(self->state.controls);
          },
          [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
}

bool has_limit(const dispatch_controls& controls, control_scope scope,
               const std::string& key) {
  auto copy = controls;
  return erase_limit(copy, scope, key);
}

/// Checks that job `id` exists and, for a pause, has not ended.
void check_job(scheduler_self self, const std::string& id, bool paused,
               std::function<void(caf::error)> then) {
  auto verdict = [id, paused](std::optional<job_status> status) -> caf::error {
    if (!status)
      return make_error(errc::not_found, "id: no job " + id);
    if (paused && is_terminal(*status))
      return make_error(errc::invalid_transition,
                        "job " + id + " is already " + to_string(*status));
    return caf::none;
  };
  if (auto status = self->state.machine->status_of(id)) {
    then(verdict(status));
    return;
  }
  self->request(self->state.peers.persistence, store_timeout, lookup_atom_v,
                std::vector<std::string>{id})
      .then(
          [=](std::vector<job_record>& found) {
            if (found.empty())
              then(verdict(std::nullopt));
            else
              then(verdict(found.front().status));
          },
          [=](caf::error& err) { then(std::move(err)); });
}

} // namespace

void adopt_controls(scheduler_self self, dispatch_controls controls) {
  apply_change(self, [&](dispatch_controls& x) { x = std::move(controls); });
}

void set_limit(scheduler_self self, dispatch_limit limit, controls_promise rp) {
  if (auto err = validate_limit(limit)) {
    rp.deliver(std::move(err));
    return;
  }
  store_then_apply(
      self, rp, [limit](dispatch_controls& x) { put_limit(x, limit); },
      limits_atom_v, limit);
}

void clear_limit(scheduler_self self, control_scope scope,
                 const std::string& key, controls_promise rp) {
  if (auto err = validate_target(scope, key, "type,owner")) {
    rp.deliver(std::move(err));
    return;
  }
  if (!has_limit(self->state.controls, scope, key)) {
    rp.deliver(make_error(errc::not_found,
                          to_string(scope) + ": no limit for " + key));
    return;
  }
  store_then_apply(
      self, rp,
      [scope, key](dispatch_controls& x) { erase_limit(x, scope, key); },
      limits_atom_v, delete_atom_v, scope, key);
}

void set_paused(scheduler_self self, control_scope scope,
                const std::string& key, bool paused, controls_promise rp) {
  if (auto err = validate_target(scope, key, "type,job")) {
    rp.deliver(std::move(err));
    return;
  }
  auto store = [=](caf::error err) mutable {
    if (err) {
      rp.deliver(std::move(err));
      return;
    }
    store_then_apply(
        self, rp,
        [=](dispatch_controls& x) {
          troupe::set_paused(x, scope, key, paused);
        },
        pause_atom_v, scope, key, paused);
  };
  if (scope == control_scope::job)
    check_job(self, key, paused, std::move(store));
  else
    store(caf::none);
}

void forget_paused(scheduler_self self, const std::vector<std::string>& ids) {
  auto& st = self->state;
  if (st.controls.paused_jobs.empty())
    return;
  bool changed = false;
  for (const auto& id : ids) {
    if (!troupe::set_paused(st.controls, control_scope::job, id, false))
      continue;
    changed = true;
    // Best effort: a pause left in the store is dropped at the next start.
    self->request(st.peers.persistence, store_timeout, pause_atom_v,
                  control_scope::job, id, false)
        .then([](ok_atom) {}, [](caf::error&) {});
  }
  if (changed)
    self->send(st.peers.queue, limits_atom_v, st.controls);
}

} // namespace troupe
