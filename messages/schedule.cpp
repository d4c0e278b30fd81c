// Names of the missed-firing policies of periodic schedules.
#include "troupe/messages/schedule.hpp"

namespace troupe {

std::string to_string(missed_policy x) {
  return x == missed_policy::run_once ? "run-once" : "skip";
}

std::optional<missed_policy> parse_missed_policy(const std::string& name) {
  if (name == "skip")
    return missed_policy::skip;
  if (name == "run-once")
    return missed_policy::run_once;
  return std::nullopt;
}

} // namespace troupe
