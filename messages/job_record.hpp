// What troupe knows about a job: the spec after defaults were applied plus the
// runtime state, and one entry of its history. Plain data, no behaviour.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caf/meta/type_name.hpp"

#include "troupe/messages/job_status.hpp"

namespace troupe {

/// The full state of one job, as stored and as reported.
struct job_record {
  // -- from the spec, with defaults applied ----------------------------------

  std::string id;
  std::string type;
  /// Handler input as JSON text.
  std::string payload;
  uint8_t priority = 5;
  std::vector<std::string> deps;
  dependency_policy on_dependency_failure = dependency_policy::fail;
  int32_t timeout_s = 60;
  int32_t max_retries = 3;
  int64_t backoff_base_ms = 1000;
  std::string owner;
  std::vector<std::string> tags;
  std::string unique_key;
  /// Earliest start of the next attempt, microseconds since the epoch.
  int64_t run_at_us = 0;
  /// Seconds after the end during which `unique_key` still returns this job.
  int64_t unique_for_s = 0;
  /// Seconds the job is kept once terminal (0: global retention only).
  int64_t result_ttl_s = 0;

  // -- runtime ----------------------------------------------------------------

  job_status status = job_status::queued;
  /// Number of the current (or last) attempt, starting at 1.
  uint32_t attempt = 1;
  /// Executor that runs or ran the current attempt.
  std::string executor;
  /// Node of that executor.
  std::string node;
  /// Last reported progress, 0 to 1, and its message.
  double progress = 0;
  std::string progress_message;
  /// Handler output as JSON text, once completed.
  std::string result;
  /// Why the last attempt or the job failed or was cancelled.
  std::string error;
  /// Number of history entries written so far; the next one gets this number.
  uint32_t history_length = 0;

  // -- timestamps, microseconds since the Unix epoch (0: not yet) -------------

  int64_t created_us = 0;
  int64_t updated_us = 0;
  int64_t started_us = 0;
  int64_t finished_us = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, job_record& x) {
  return f(caf::meta::type_name("troupe::job_record"), x.id, x.type, x.payload,
           x.priority, x.deps, x.on_dependency_failure, x.timeout_s,
           x.max_retries, x.backoff_base_ms, x.owner, x.tags, x.unique_key,
           x.run_at_us, x.unique_for_s, x.result_ttl_s, x.status, x.attempt,
           x.executor, x.node, x.progress, x.progress_message, x.result,
           x.error, x.history_length, x.created_us, x.updated_us, x.started_us,
           x.finished_us);
}

/// One transition of one job, appended to its history.
struct history_entry {
  std::string job_id;
  /// Position in the job's history, starting at 0.
  uint32_t seq = 0;
  int64_t time_us = 0;
  job_status from = job_status::queued;
  job_status to = job_status::queued;
  uint32_t attempt = 0;
  std::string executor;
  std::string node;
  /// Who caused the transition: "scheduler", "executor", a user name, ...
  std::string principal;
  /// Why, in words.
  std::string message;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, history_entry& x) {
  return f(caf::meta::type_name("troupe::history_entry"), x.job_id, x.seq,
           x.time_us, x.from, x.to, x.attempt, x.executor, x.node, x.principal,
           x.message);
}

} // namespace troupe
