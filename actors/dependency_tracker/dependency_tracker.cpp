// Forwards the graph's decisions to the scheduler: failures before releases,
// so a job whose last dependency failed is never released first.
#include "troupe/actors/dependency_tracker/dependency_tracker.hpp"

namespace troupe {

dependency_tracker_actor::behavior_type dependency_tracker(
    dependency_tracker_actor::stateful_pointer<dependency_tracker_state> self,
    scheduler_actor scheduler) {
  return {
      [=](watch_atom, const std::string& id,
          const std::vector<std::string>& deps) {
        self->state.graph.watch(id, deps);
      },
      [=](settled_atom, const std::string& id, job_status status) {
        auto result = self->state.graph.settle(id, status);
        for (auto& [dependent, dep] : result.failed)
          self->send(scheduler, dep_failed_atom_v, dependent, dep, status);
        if (!result.released.empty())
          self->send(scheduler, released_atom_v, std::move(result.released));
      },
  };
}

} // namespace troupe
