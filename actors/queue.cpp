// Credit-based dispatch: each executor announces free slots and the types it
// handles; the queue hands out the most urgent matching job per credit.
#include "actors/queue.hpp"

#include <algorithm>

#include "caf/event_based_actor.hpp"

namespace troupe {

namespace {

using self_ptr = queue_actor::stateful_pointer<queue_actor_state>;

void dispatch(self_ptr self) {
  auto& st = self->state;
  auto now = st.clock->now_us();
  bool progress = true;
  while (progress && st.jobs.size() > 0) {
    progress = false;
    auto n = st.executors.size();
    for (size_t k = 0; k < n && st.jobs.size() > 0; ++k) {
      auto& ex = st.executors[(st.next_executor + k) % n];
      if (ex.credits == 0)
        continue;
      if (auto job = st.jobs.pop(ex.types, now)) {
        --ex.credits;
        ex.recent.push_back(*job);
        if (ex.recent.size() > ex.window)
          ex.recent.pop_front();
        self->send(ex.handle, dispatch_atom_v, std::move(*job));
        progress = true;
      }
    }
    if (n > 0)
      st.next_executor = (st.next_executor + 1) % n;
  }
}

} // namespace

queue_actor::behavior_type
queue(queue_actor::stateful_pointer<queue_actor_state> self,
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
          uint32_t credits) {
        auto& execs = self->state.executors;
        auto i = std::find_if(
            execs.begin(), execs.end(),
            [&](const executor_credit& ex) { return ex.handle == handle; });
        if (i == execs.end())
          i = execs.insert(execs.end(),
                           executor_credit{handle, std::move(types), 0, 0, {}});
        i->credits += credits;
        i->window = std::max(i->window, i->credits);
        dispatch(self);
      },
      [=](lost_atom, executor_actor& handle) {
        auto& execs = self->state.executors;
        auto i = std::find_if(
            execs.begin(), execs.end(),
            [&](const executor_credit& ex) { return ex.handle == handle; });
        if (i == execs.end())
          return std::vector<job_dispatch>{};
        std::vector<job_dispatch> recent{i->recent.begin(), i->recent.end()};
        execs.erase(i);
        return recent;
      },
  };
}

} // namespace troupe
