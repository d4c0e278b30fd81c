// What a submitter asks for: the job spec. Plain data with a CAF inspector so
// it crosses actor and node boundaries unchanged; validation lives in actors/.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caf/meta/type_name.hpp"

#include "troupe/messages/job_status.hpp"

namespace troupe {

/// A request to run one job. Empty or zero fields take the node's defaults.
struct job_spec {
  /// Client-chosen id; empty lets the scheduler assign one. Submitting an id
  /// that already exists returns the existing job (idempotent submit).
  std::string id;
  /// Handler name, matching `[a-z0-9_.-]{1,64}`.
  std::string type;
  /// Handler input as JSON text. Default: "{}" when empty.
  std::string payload;
  /// 1 (most urgent) to 10 (least). Default: 0, meaning the node default (5).
  uint8_t priority = 0;
  /// Ids of jobs that must complete before this one runs.
  std::vector<std::string> deps;
  /// What a failed or cancelled dependency does to this job. Default: fail.
  dependency_policy on_dependency_failure = dependency_policy::fail;
  /// Seconds one attempt may run. Default: -1, meaning the node default (60).
  int32_t timeout_s = -1;
  /// Retries after the first attempt. Default: -1, meaning the node default
  /// (3).
  int32_t max_retries = -1;
  /// Base of the exponential retry backoff in milliseconds. Default: 0,
  /// meaning the node default (1000).
  int64_t backoff_base_ms = 0;
  /// Who submitted the job; used for listing and quotas.
  std::string owner;
  /// Free-form labels for listing.
  std::vector<std::string> tags;
  /// A live job with the same key is returned instead of a new one.
  std::string unique_key;
  /// Earliest start, microseconds since the Unix epoch. Default: 0 (now).
  int64_t run_at_us = 0;
  /// Seconds after this job ended during which its `unique_key` still
  /// returns it. Default: 0 (only while live).
  int64_t unique_for_s = 0;
  /// Seconds this job and its history are kept once terminal, even if the
  /// global retention is longer. Default: 0 (global retention only).
  int64_t result_ttl_s = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, job_spec& x) {
  return f(caf::meta::type_name("troupe::job_spec"), x.id, x.type, x.payload,
           x.priority, x.deps, x.on_dependency_failure, x.timeout_s,
           x.max_retries, x.backoff_base_ms, x.owner, x.tags, x.unique_key,
           x.run_at_us, x.unique_for_s, x.result_ttl_s);
}

} // namespace troupe
