// The schedule keeper shell: a firing is submitted with its deterministic id,
// and only once the job is durable is the firing recorded in the store, so a
// crash in between re-fires the same id, which the scheduler deduplicates.
#include "troupe/actors/schedules/schedule_keeper.hpp"
#include "troupe/messages/request_timeouts.hpp"

#include <chrono>

#include "troupe/logging/log.hpp"
#include "troupe/messages/errc.hpp"

namespace troupe {

namespace {

using self_ptr =
    schedule_keeper_actor::stateful_pointer<schedule_keeper_actor_state>;

constexpr auto submit_timeout = troupe::request_timeouts::server;
constexpr int64_t retry_delay_us = 1000 * 1000;

int64_t now_us(self_ptr self) {
  return self->state.clock->now_us();
}

void arm(self_ptr self) {
  auto& st = self->state;
  auto next = st.machine->next_due();
  if (!st.scheduler || !next || (st.armed && *st.armed <= *next))
    return;
  st.armed = *next;
  auto delay = std::max<int64_t>(0, *next - now_us(self));
  self->delayed_send(self, std::chrono::microseconds(delay), tick_atom_v);
}

void record(self_ptr self, const periodic_schedule& x) {
  if (auto err = self->state.store->put_schedule(x))
    log_error("troupe schedule keeper: recording a firing of ", x.name,
              " failed: ", message_of(err));
}

void fire_due(self_ptr self) {
  auto firings = self->state.machine->due(now_us(self));
  for (auto& firing : firings) {
    auto name = firing.schedule;
    auto time = firing.time_us;
    self->request(self->state.scheduler, submit_timeout, submit_atom_v,
                  std::move(firing.job))
        .then(
            [=](const std::string& id) {
              auto& st = self->state;
              if (auto x = st.machine->fired(name, time, id, now_us(self)))
                record(self, *x);
              arm(self);
            },
            [=](const caf::error& err) {
              log_warn("troupe schedule keeper: firing ", name,
                       " failed, retrying: ", message_of(err));
              self->state.machine->fire_failed(name,
                                               now_us(self) + retry_delay_us);
              arm(self);
            });
  }
}

} // namespace

schedule_keeper_actor::behavior_type schedule_keeper(
    schedule_keeper_actor::stateful_pointer<schedule_keeper_actor_state> self,
    std::shared_ptr<job_store> store, std::vector<periodic_schedule> stored,
    job_limits limits, int64_t start_us) {
  auto& st = self->state;
  st.machine.emplace(limits);
  if (start_us != 0)
    st.clock.emplace(self->clock(), start_us);
  else
    st.clock.emplace(self->clock());
  st.store = std::move(store);
  st.machine->load(std::move(stored), now_us(self));
  return {
      [=](arm_atom, scheduler_actor scheduler) {
        self->state.scheduler = std::move(scheduler);
        fire_due(self);
        arm(self);
      },
      [=](schedules_atom, add_atom,
          periodic_schedule& x) -> caf::result<periodic_schedule> {
        auto& st = self->state;
        auto added = st.machine->add(std::move(x), now_us(self));
        if (!added)
          return std::move(added.error());
        if (auto err = st.store->put_schedule(*added)) {
          st.machine->remove(added->name);
          return err;
        }
        arm(self);
        return std::move(*added);
      },
      [=](schedules_atom, list_atom) { return self->state.machine->list(); },
      [=](schedules_atom, delete_atom,
          const std::string& name) -> caf::result<ok_atom> {
        auto& st = self->state;
        if (!st.machine->find(name))
          return make_error(errc::not_found, "name: no schedule " + name);
        if (auto err = st.store->delete_schedule(name))
          return err;
        st.machine->remove(name);
        return ok_atom_v;
      },
      [=](tick_atom) {
        self->state.armed.reset();
        fire_due(self);
        arm(self);
      },
  };
}

} // namespace troupe
