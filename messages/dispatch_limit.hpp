// Dispatch controls: concurrency quotas and token-bucket rate limits per job
// type or owner, and paused types and jobs. Plain data, no behaviour.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "caf/meta/type_name.hpp"

namespace troupe {

/// What a limit or a pause applies to.
enum class control_scope : uint8_t {
  /// Every job of one type.
  type,
  /// Every job of one owner.
  owner,
  /// One job (pause and resume only).
  job,
};

/// Number of `control_scope` values; a scope byte from outside must be
/// below it.
constexpr size_t control_scope_count = 3;

/// Returns "type", "owner" or "job" ("scope N" for a value out of range).
inline std::string to_string(control_scope x) {
  switch (x) {
  case control_scope::type:
    return "type";
  case control_scope::owner:
    return "owner";
  case control_scope::job:
    return "job";
  }
  return "scope " + std::to_string(static_cast<unsigned>(x));
}

/// A limit on how many jobs of one type or owner run at once and how fast
/// they start. The queue enforces it globally, for local and remote
/// executors alike.
struct dispatch_limit {
  /// `type` or `owner`.
  control_scope scope = control_scope::type;
  /// The type name or owner the limit applies to.
  std::string key;
  /// Attempts dispatched and not yet ended, at most; 0 means no quota.
  uint32_t max_running = 0;
  /// Starts per second on average (token bucket refill); 0 means no rate.
  double rate = 0;
  /// Starts allowed at once after an idle spell (bucket size); 0 means 1
  /// when a rate is set.
  uint32_t burst = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dispatch_limit& x) {
  return f(caf::meta::type_name("troupe::dispatch_limit"), x.scope, x.key,
           x.max_running, x.rate, x.burst);
}

/// Every limit and pause in force on a node.
struct dispatch_controls {
  /// At most one limit per (scope, key).
  std::vector<dispatch_limit> limits;
  /// Types whose queued jobs are not dispatched.
  std::vector<std::string> paused_types;
  /// Jobs that are not dispatched (whatever their status now).
  std::vector<std::string> paused_jobs;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dispatch_controls& x) {
  return f(caf::meta::type_name("troupe::dispatch_controls"), x.limits,
           x.paused_types, x.paused_jobs);
}

} // namespace troupe
