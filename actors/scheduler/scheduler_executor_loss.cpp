// Losing an executor, on the scheduler shell's side.
#include "troupe/actors/scheduler/scheduler_executor_loss.hpp"

namespace troupe {

using detail::changed;
using detail::now_us;

void executor_lost(
    scheduler_actor::stateful_pointer<scheduler_actor_state> self,
    const executor_actor& handle, const std::string& node,
    const std::string& reason, std::vector<job_dispatch>& dispatched) {
  auto& st = self->state;
  auto now = now_us(self);
  for (auto i = st.running_on.begin(); i != st.running_on.end();) {
    if (i->second != handle) {
      ++i;
      continue;
    }
    if (auto job = st.machine->find(i->first))
      st.machine->executor_lost(job->id, job->attempt, node, reason, now);
    i = st.running_on.erase(i);
  }
  std::vector<job_dispatch> again;
  for (auto& entry : dispatched)
    if (st.machine->needs_redispatch(entry)) {
      // The queue's loss window keeps no payloads; the record has it.
      entry.payload = st.machine->find(entry.id)->payload;
      again.push_back(std::move(entry));
    }
  if (!again.empty())
    self->send(st.peers.queue, enqueue_atom_v, std::move(again));
  changed(self);
}

} // namespace troupe
