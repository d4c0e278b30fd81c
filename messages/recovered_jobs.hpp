// What a start reads back for the scheduler, one page of one status at a
// time: the jobs it takes over and, for jobs whose attempt was running when
// the node died, how often that happened in a row (so a job that keeps
// killing the node is not started again).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "caf/meta/type_name.hpp"

#include "troupe/messages/job_record.hpp"

namespace troupe {

/// Unfinished jobs read from the store at start.
struct recovered_jobs {
  /// Jobs in a non-terminal status.
  std::vector<job_record> jobs;
  /// Per running job: attempts in a row, the running one included, that were
  /// running when the node died (not when it stopped in order). Jobs absent
  /// here were interrupted by an orderly stop or were not running.
  std::map<std::string, uint32_t> crashed_attempts;
  /// Where the next page of the same status starts; empty after the last.
  std::string next;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, recovered_jobs& x) {
  return f(caf::meta::type_name("troupe::recovered_jobs"), x.jobs,
           x.crashed_attempts, x.next);
}

} // namespace troupe
