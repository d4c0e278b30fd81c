// The lifecycle states of a job and their names. Pure vocabulary: no behaviour
// beyond naming and classifying the states.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace troupe {

/// Where a job is in its lifecycle.
enum class job_status : uint8_t {
  /// Waiting for `run_at` or for the backoff before a retry.
  scheduled,
  /// Waiting for dependencies to complete.
  waiting,
  /// Ready, waiting for a free executor slot.
  queued,
  /// An executor runs the current attempt.
  running,
  /// Terminal: the handler returned a result.
  completed,
  /// Terminal: retries exhausted, or a dependency failed.
  failed,
  /// Terminal: cancelled by a user or by the dependency policy.
  cancelled,
};

/// Number of distinct statuses.
constexpr size_t job_status_count = 7;

/// Returns whether no transition leaves `x`.
constexpr bool is_terminal(job_status x) {
  return x == job_status::completed || x == job_status::failed ||
         x == job_status::cancelled;
}

/// Returns the lowercase name of `x`, e.g. "queued".
std::string to_string(job_status x);

/// Parses a lowercase status name.
std::optional<job_status> parse_job_status(std::string_view name);

/// What happens to a job when one of its dependencies fails or is cancelled.
enum class dependency_policy : uint8_t {
  /// The dependent fails, naming the dependency (default).
  fail,
  /// The dependent is cancelled, naming the dependency.
  cancel,
  /// The dependent runs anyway once every dependency is terminal.
  ignore,
};

/// Number of `dependency_policy` values.
constexpr size_t dependency_policy_count = 3;

/// Returns the lowercase name of `x`, e.g. "fail".
std::string to_string(dependency_policy x);

/// Parses a lowercase dependency policy name.
std::optional<dependency_policy> parse_dependency_policy(std::string_view name);

} // namespace troupe
