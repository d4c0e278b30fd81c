// Release and failure propagation over the job DAG, one edge at a time; the
// scheduler applies each job's policy and settles it, which cascades here.
#include "troupe/actors/dependency_tracker/dependency_graph.hpp"

namespace troupe {

void dependency_graph::watch(const std::string& id,
                             const std::vector<std::string>& deps) {
  auto& unmet = unmet_[id];
  for (const auto& dep : deps)
    if (unmet.insert(dep).second)
      dependents_[dep].push_back(id);
}

settle_result dependency_graph::settle(const std::string& id,
                                       job_status status) {
  settle_result result;
  unmet_.erase(id);
  auto i = dependents_.find(id);
  if (i == dependents_.end())
    return result;
  for (const auto& dependent : i->second) {
    auto j = unmet_.find(dependent);
    if (j == unmet_.end() || j->second.erase(id) == 0)
      continue;
    if (status != job_status::completed)
      result.failed.emplace_back(dependent, id);
    if (j->second.empty()) {
      unmet_.erase(j);
      result.released.push_back(dependent);
    }
  }
  dependents_.erase(i);
  return result;
}

bool dependency_graph::waits_for(const std::string& id,
                                 const std::string& dep) const {
  auto i = unmet_.find(id);
  return i != unmet_.end() && i->second.count(dep) > 0;
}

} // namespace troupe
