// Credit-based dispatch: each executor announces free slots and the types it
// handles; the queue hands out the most urgent eligible job per credit. When
// jobs wait only for tokens and an executor is idle, one delayed message wakes
// the queue when the next token is due (no polling).
#include "troupe/actors/queue/queue.hpp"

#include <algorithm>
#include <chrono>

#include "caf/event_based_actor.hpp"

#include "troupe/messages/errc.hpp"

namespace troupe {

namespace {

using self_ptr = queue_actor::stateful_pointer<queue_actor_state>;

void arm_wake(self_ptr self, int64_t now) {
  auto& st = self->state;
  if (!st.executors.any_idle())
    return;
  auto next = st.jobs.next_token_at(now);
  if (!next || (st.armed_wake && *st.armed_wake <= *next))
    return;
  st.armed_wake = *next;
  self->delayed_send(self, std::chrono::microseconds(*next - now), tick_atom_v);
}

void dispatch(self_ptr self) {
  auto& st = self->state;
  auto now = st.clock->now_us();
  auto assigned = st.executors.assign(
      [&](const std::vector<std::string>& types) {
        return st.jobs.pop(types, now);
      },
      [&] { return st.jobs.size() > 0; });
  // One message per executor, its jobs in hand-out order.
  std::vector<std::pair<executor_actor, std::vector<job_dispatch>>> batches;
  for (auto& [handle, job] : assigned) {
    auto i = std::find_if(batches.begin(), batches.end(),
                          [&](const auto& b) { return b.first == handle; });
    if (i == batches.end())
      i = batches.insert(batches.end(), {handle, {}});
    i->second.push_back(std::move(job));
  }
  for (auto& [handle, jobs] : batches)
    self->send(handle, dispatch_atom_v, std::move(jobs));
  arm_wake(self, now);
}

/// Checks a demand and adds its credits (executor_credits::demand).
void demand(self_ptr self, executor_actor handle,
            std::vector<std::string> types, uint32_t credits, uint32_t waiting,
            uint64_t epoch) {
  if (!handle) {
    report_refused("a demand",
                   make_error(errc::invalid_field,
                              "executor: must be an actor, got a null handle"));
    return;
  }
  if (auto err = check_demand(types, credits, waiting)) {
    report_refused("a demand", err);
    return;
  }
  if (self->state.executors.demand(std::move(handle), std::move(types), credits,
                                   waiting, epoch))
    dispatch(self);
}

} // namespace

queue_actor::behavior_type
queue(local_only_pointer<queue_actor, queue_actor_state> self,
      queue_config config) {
  self->state.jobs = queue_state{config};
  self->state.clock.emplace(self->clock());
  return {
      [=](enqueue_atom, std::vector<job_dispatch>& jobs) {
        for (auto& job : jobs)
          self->state.jobs.push(std::move(job));
        dispatch(self);
      },
      [=](dequeue_atom, const std::string& id) { self->state.jobs.remove(id); },
      [=](demand_atom, executor_actor& handle, std::vector<std::string>& types,
          uint32_t credits, uint32_t waiting, uint64_t epoch) {
        demand(self, std::move(handle), std::move(types), credits, waiting,
               epoch);
      },
      [=](lost_atom, executor_actor& handle) {
        return self->state.executors.lose(handle);
      },
      [=](finished_atom, const std::vector<std::string>& ids) {
        bool freed = false;
        for (const auto& id : ids)
          freed = self->state.jobs.ended(id) || freed;
        if (freed)
          dispatch(self);
      },
      [=](limits_atom, const dispatch_controls& controls) {
        self->state.jobs.set_controls(controls, self->state.clock->now_us());
        dispatch(self);
      },
      [=](tick_atom) {
        self->state.armed_wake.reset();
        dispatch(self);
      },
      [=](stats_atom) {
        auto& jobs = self->state.jobs;
        stats_snapshot result;
        result.throttled = jobs.throttled(self->state.clock->now_us());
        result.paused = jobs.paused();
        return result;
      },
  };
}

} // namespace troupe
