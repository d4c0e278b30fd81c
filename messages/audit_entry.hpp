// The audit trail's vocabulary: one control action as recorded (who did what
// to what, and how it ended) and a query over the recorded ones. Plain data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "caf/meta/type_name.hpp"

namespace troupe {

/// Most bytes of each text field of an audit entry; the recorder cuts longer
/// ones (ending them in "...") and the store refuses them.
constexpr size_t max_audit_field_bytes = 4096;

/// Most entries one audit query returns.
constexpr uint32_t max_audit_entries_per_query = 10'000;

/// One control action, appended durably to the audit trail.
struct audit_entry {
  /// When it happened, microseconds since the epoch; 0 lets the recorder
  /// stamp it on arrival.
  int64_t at_us = 0;
  /// The principal who asked; empty when unknown.
  std::string principal;
  /// What was asked: "cancel", "retry", "limits.set", "limits.clear",
  /// "pause", "resume", "cleanup", "backup", "schedule.add",
  /// "schedule.remove", "spawn", "refused.connection", "login", ...
  std::string action;
  /// What it acted on: a job id, a type, a schedule name, a directory, a
  /// peer address...; empty when nothing in particular.
  std::string target;
  /// How it ended: "ok", "refused" or "failed".
  std::string outcome;
  /// The error message, or extra facts ("purged 12 jobs").
  std::string detail;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, audit_entry& x) {
  return f(caf::meta::type_name("troupe::audit_entry"), x.at_us, x.principal,
           x.action, x.target, x.outcome, x.detail);
}

/// Which audit entries to read: oldest first, from `since_us` on.
struct audit_query {
  /// Only entries at or after this time, microseconds since the epoch.
  /// Default: 0, all.
  int64_t since_us = 0;
  /// Only entries of this principal. Default: empty, all.
  std::string principal;
  /// Most entries returned, 1 to `max_audit_entries_per_query`.
  /// Default: 1000.
  uint32_t limit = 1000;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, audit_query& x) {
  return f(caf::meta::type_name("troupe::audit_query"), x.since_us, x.principal,
           x.limit);
}

} // namespace troupe
