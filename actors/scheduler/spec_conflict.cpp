// Field-by-field comparison of a resubmitted spec with the stored job.
#include "troupe/actors/scheduler/spec_conflict.hpp"

#include <type_traits>
#include <vector>

namespace troupe {

namespace {

template <class T>
std::string describe(const T& x) {
  if constexpr (std::is_same_v<T, std::string>)
    return x.size() <= 64 ? "\"" + x + "\""
                          : "(" + std::to_string(x.size()) + " characters)";
  else if constexpr (std::is_same_v<T, dependency_policy>)
    return to_string(x);
  else
    return std::to_string(x);
}

/// Returns "field (submitted X, stored Y)" if the values differ.
template <class T>
std::string differs(const char* field, const T& wanted, const T& stored) {
  if (wanted == stored)
    return {};
  std::string text = field;
  if constexpr (std::is_same_v<T, std::vector<std::string>>)
    return text;
  else
    return text + " (submitted " + describe(wanted) + ", stored " +
           describe(stored) + ")";
}

} // namespace

std::string first_spec_difference(const job_record& stored,
                                  const job_record& wanted) {
  auto run_at = stored.attempt <= 1 ? wanted.run_at_us : stored.run_at_us;
  std::string found;
  auto check = [&found](std::string diff) {
    if (found.empty())
      found = std::move(diff);
  };
  check(differs("type", wanted.type, stored.type));
  if (wanted.payload != stored.payload)
    check("payload");
  check(differs("priority", int{wanted.priority}, int{stored.priority}));
  check(differs("deps", wanted.deps, stored.deps));
  check(differs("on_dependency_failure", wanted.on_dependency_failure,
                stored.on_dependency_failure));
  check(differs("timeout_s", wanted.timeout_s, stored.timeout_s));
  check(differs("max_retries", wanted.max_retries, stored.max_retries));
  check(differs("backoff_base_ms", wanted.backoff_base_ms,
                stored.backoff_base_ms));
  check(differs("owner", wanted.owner, stored.owner));
  check(differs("tags", wanted.tags, stored.tags));
  check(differs("unique_key", wanted.unique_key, stored.unique_key));
  check(differs("run_at", run_at, stored.run_at_us));
  check(differs("unique_for_s", wanted.unique_for_s, stored.unique_for_s));
  check(differs("result_ttl_s", wanted.result_ttl_s, stored.result_ttl_s));
  return found;
}

} // namespace troupe
