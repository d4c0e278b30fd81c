// Names of job statuses and dependency policies.
#include "troupe/messages/job_status.hpp"

#include <array>

namespace troupe {

namespace {

constexpr std::array<std::string_view, job_status_count> status_names = {
    "scheduled", "waiting", "queued",   "running",
    "completed", "failed",  "cancelled"};

constexpr std::array<std::string_view, 3> policy_names = {"fail", "cancel",
                                                          "ignore"};

} // namespace

std::string to_string(job_status x) {
  return std::string{status_names.at(static_cast<size_t>(x))};
}

std::optional<job_status> parse_job_status(std::string_view name) {
  for (size_t i = 0; i < status_names.size(); ++i)
    if (status_names[i] == name)
      return static_cast<job_status>(i);
  return std::nullopt;
}

std::string to_string(dependency_policy x) {
  return std::string{policy_names.at(static_cast<size_t>(x))};
}

std::optional<dependency_policy>
parse_dependency_policy(std::string_view name) {
  for (size_t i = 0; i < policy_names.size(); ++i)
    if (policy_names[i] == name)
      return static_cast<dependency_policy>(i);
  return std::nullopt;
}

} // namespace troupe
