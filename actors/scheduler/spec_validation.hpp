// Validation of job specs against the configured limits. Pure functions: a
// spec that fails is rejected with an error naming the field and the rule.
#pragma once

#include <cstdint>
#include <string>

#include "caf/error.hpp"

#include "troupe/messages/job_query.hpp"
#include "troupe/messages/job_spec.hpp"

namespace troupe {

/// Limits on submitted jobs, checked before anything is persisted.
struct job_limits {
  /// Largest payload in bytes. Default: 1 MiB.
  size_t max_payload_bytes = 1024 * 1024;
  /// Most dependencies of one job. Default: 1000.
  size_t max_deps = 1000;
  /// Shortest and longest timeout in seconds. Default: 1 s and 24 h.
  int32_t min_timeout_s = 1;
  int32_t max_timeout_s = 24 * 3600;
  /// Most retries after the first attempt. Default: 100.
  int32_t max_retries = 100;
  /// Deepest nesting of arrays and objects in a payload, at most
  /// `max_safe_json_depth` (1000). Default: 64.
  size_t max_payload_depth = 64;
  /// Most jobs in one batch submission. Default: 10,000.
  size_t max_batch_jobs = 10'000;
};

/// The most and least urgent priority a job may ask for.
constexpr int64_t min_priority = 1;
constexpr int64_t max_priority = 10;

/// The longest first retry delay a job may ask for: one hour.
constexpr int64_t max_backoff_base_ms = 3600 * 1000;

/// The rules of a spec's numbers, for a value given for the field (the
/// wire's "server default", 0 or -1, is no value). Each returns
/// `errc::invalid_field` naming `field_prefix` and the field
/// ("priority: must be between 1 and 10, got 11"), or no error.
caf::error check_priority(int64_t value, const std::string& field_prefix = "");
caf::error check_timeout_s(int64_t value, const job_limits& limits,
                           const std::string& field_prefix = "");
caf::error check_max_retries(int64_t value, const job_limits& limits,
                             const std::string& field_prefix = "");
caf::error check_backoff_base_ms(int64_t value,
                                 const std::string& field_prefix = "");

/// Checks `spec` against `limits`. `field_prefix` (e.g. "jobs[3].") is put
/// before field names in the error. Returns `errc::invalid_field` with a
/// message naming the field and the rule, or no error.
caf::error validate_spec(const job_spec& spec, const job_limits& limits,
                         const std::string& field_prefix = "");

/// Checks the size of a batch of `count` jobs against `limits`: at least one,
/// at most `max_batch_jobs`.
caf::error validate_batch_size(size_t count, const job_limits& limits);

/// Most jobs one listing returns.
constexpr uint32_t max_jobs_per_list = 10'000;

/// Checks a listing query from outside: status and sort in range, the page
/// size 1 to `max_jobs_per_list`. Returns `errc::invalid_field` naming the
/// field, or no error.
caf::error validate_list_query(const job_query& query);

/// Most jobs one retry-by-filter request re-queues.
constexpr uint32_t max_jobs_per_retry = 10'000;

/// Checks a retry-by-filter query: the status must be failed or cancelled
/// (none given means failed, which it sets) and the limit, the most jobs
/// retried, 1 to `max_jobs_per_retry`. Returns `errc::invalid_field` naming
/// the field, or no error.
caf::error validate_retry_query(job_query& query);

/// The rule a job type name follows, as error messages state it.
inline const std::string type_name_rule = "[a-z0-9_.-]{1,64}";

/// The rule a job id follows, as error messages state it.
inline const std::string job_id_rule = "[A-Za-z0-9_.:-]{1,128}";

/// Returns whether `type` matches `type_name_rule`.
bool is_valid_type_name(const std::string& type);

/// Returns whether `id` matches `job_id_rule`.
bool is_valid_job_id(const std::string& id);

} // namespace troupe
