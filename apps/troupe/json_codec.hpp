// The one place where jobs, history, statistics and workers become JSON and
// job specs are read from JSON; every command and batch file uses these names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "troupe/messages/job_record.hpp"
#include "troupe/messages/job_spec.hpp"
#include "troupe/messages/statistics.hpp"

namespace troupe::cli {

/// Formats microseconds since the epoch as RFC 3339 UTC with milliseconds,
/// e.g. "2024-05-01T12:00:03.250Z".
std::string format_rfc3339(int64_t time_us);

/// Parses RFC 3339 ("2024-05-01T12:00:03Z", fractions and offsets allowed)
/// into microseconds since the epoch.
std::optional<int64_t> parse_rfc3339(const std::string& text);

/// The RFC 3339 string of `time_us`, or null when it is 0 (not yet).
nlohmann::ordered_json time_or_null(int64_t time_us);

/// The run_at a view shows: the submitted one, or a retry's backoff only
/// while the job waits for it (once it runs or ended, that is past).
int64_t shown_run_at(const job_record& job);

/// The progress message a view shows: only while the job runs.
std::string shown_progress_message(const job_record& job);

/// A job with the field names id, type, payload, priority, deps,
/// on_dependency_failure, timeout_s, max_retries, backoff_base_ms, owner,
/// tags, unique_key, run_at, unique_for_s, result_ttl_s, status, attempt,
/// executor, node, progress, progress_message, result, error, created, updated,
/// started, finished.
nlohmann::ordered_json record_to_json(const job_record& job);

/// The spec fields of a job, with the same names as `record_to_json`.
nlohmann::ordered_json spec_to_json(const job_spec& spec);

/// Reads a spec from an object with the names of `record_to_json` (runtime
/// fields are rejected). Returns an error like "jobs[2].priority: must be
/// an integer", prefixed with `prefix`, or an empty string.
std::string spec_from_json(const nlohmann::json& object, job_spec& out,
                           const std::string& prefix = "");

/// One history entry: seq, time, from, to, attempt, executor, node,
/// principal, message.
nlohmann::ordered_json history_to_json(const history_entry& entry);

/// Statistics: by_status, depth_by_priority, depth_by_type,
/// throughput_per_s, wait_ms and run_ms (p50, p90, p99), throttled (jobs
/// held back per limit) and paused (jobs held back by pauses).
nlohmann::ordered_json stats_to_json(const stats_snapshot& stats);

/// One executor: name, node, types, slots, running, heartbeat and
/// heartbeat_age_s relative to `now_us`.
nlohmann::ordered_json executor_to_json(const executor_info& info,
                                        int64_t now_us);

/// Serialises `value` for output (fields in the order above); invalid UTF-8 is
/// replaced, never thrown.
std::string dump_json(const nlohmann::ordered_json& value, int indent = 2);

} // namespace troupe::cli
