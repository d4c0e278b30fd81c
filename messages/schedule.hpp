// A periodic schedule: a cron expression or a fixed interval, the job it fires
// and what happens to firings missed while the node was down. Plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "caf/meta/type_name.hpp"

#include "troupe/messages/job_spec.hpp"

namespace troupe {

/// What a schedule does about firings that fell into a time the node was
/// down (or too busy to fire them).
enum class missed_policy : uint8_t {
  /// Fire nothing for the past; continue with the next future time.
  skip,
  /// Fire one job for the whole missed period, then continue.
  run_once,
};

/// Number of `missed_policy` values.
constexpr size_t missed_policy_count = 2;

/// Returns "skip" or "run-once".
std::string to_string(missed_policy x);

/// Parses "skip" or "run-once".
std::optional<missed_policy> parse_missed_policy(const std::string& name);

/// A named rule that submits a job at every matching time.
struct periodic_schedule {
  /// Unique name, matching `[A-Za-z0-9_.-]{1,64}`.
  std::string name;
  /// Standard 5-field cron expression (UTC); empty if `every_ms` is used.
  std::string cron;
  /// Fixed interval in milliseconds; 0 if `cron` is used.
  int64_t every_ms = 0;
  /// The job each firing submits. Its `id` must be empty: every firing gets
  /// the id `NAME:TIME` (TIME in RFC 3339), so firing twice is idempotent.
  job_spec job;
  /// Firings missed while down. Default: skip.
  missed_policy missed = missed_policy::skip;
  /// When the schedule was added; intervals count from here.
  int64_t created_us = 0;
  /// Time of the last durable firing; 0 if it never fired.
  int64_t last_fired_us = 0;
  /// Id of the job of the last firing; empty if it never fired.
  std::string last_job_id;
  /// Next firing, as computed by the schedule keeper (reported, not stored).
  int64_t next_fire_us = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, periodic_schedule& x) {
  return f(caf::meta::type_name("troupe::periodic_schedule"), x.name, x.cron,
           x.every_ms, x.job, x.missed, x.created_us, x.last_fired_us,
           x.last_job_id, x.next_fire_us);
}

} // namespace troupe
