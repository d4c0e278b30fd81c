// The job DAG as a plain struct: unmet dependencies per waiting job and
// dependents per job. It decides releases and failures; the actor sends them.
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "troupe/messages/job_status.hpp"

namespace troupe {

/// What settling one job means for the jobs that wait on it.
struct settle_result {
  /// Jobs whose last unmet dependency just ended.
  std::vector<std::string> released;
  /// (dependent, dependency) pairs where the dependency did not complete.
  std::vector<std::pair<std::string, std::string>> failed;
};

/// Unmet dependencies of waiting jobs.
class dependency_graph {
public:
  /// Job `id` waits for `deps`, none of which has settled yet.
  void watch(const std::string& id, const std::vector<std::string>& deps);

  /// Job `id` reached terminal `status`: it stops waiting itself, and every
  /// job waiting on it loses one unmet dependency.
  settle_result settle(const std::string& id, job_status status);

  /// Number of jobs still waiting.
  size_t waiting() const { return unmet_.size(); }

  /// Whether job `id` waits for `dep`.
  bool waits_for(const std::string& id, const std::string& dep) const;

private:
  std::unordered_map<std::string, std::unordered_set<std::string>> unmet_;
  std::unordered_map<std::string, std::vector<std::string>> dependents_;
};

} // namespace troupe
