// Names of listing sort keys.
#include "troupe/messages/job_query.hpp"

namespace troupe {

std::string to_string(job_sort x) {
  switch (x) {
  case job_sort::priority:
    return "priority";
  case job_sort::updated:
    return "updated";
  default:
    return "created";
  }
}

std::optional<job_sort> parse_job_sort(const std::string& name) {
  if (name == "created")
    return job_sort::created;
  if (name == "priority")
    return job_sort::priority;
  if (name == "updated")
    return job_sort::updated;
  return std::nullopt;
}

} // namespace troupe
