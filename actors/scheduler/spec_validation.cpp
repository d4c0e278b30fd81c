// Validation of job specs: every rule of the design brief, one error each.
#include "troupe/actors/scheduler/spec_validation.hpp"

#include <algorithm>

#include "troupe/actors/scheduler/json_depth.hpp"
#include "troupe/messages/errc.hpp"

namespace troupe {

namespace {

bool all_of_chars(const std::string& text, bool (*allowed)(char)) {
  for (char c : text)
    if (!allowed(c))
      return false;
  return true;
}

bool lower_alnum_or_punct(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

bool id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':' || c == '-';
}

bool printable(char c) {
  return static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
}

caf::error invalid(const std::string& prefix, const std::string& field,
                   const std::string& rule) {
  return make_error(errc::invalid_field, prefix + field + ": " + rule);
}

caf::error validate_labels(const job_spec& spec, const std::string& prefix) {
  if (spec.owner.size() > 128 || !all_of_chars(spec.owner, printable))
    return invalid(prefix, "owner", "must be at most 128 printable characters");
  if (spec.tags.size() > 32)
    return invalid(prefix, "tags", "at most 32 tags are allowed");
  for (size_t i = 0; i < spec.tags.size(); ++i) {
    const auto& tag = spec.tags[i];
    if (tag.empty() || tag.size() > 64 || !all_of_chars(tag, printable))
      return invalid(prefix, "tags[" + std::to_string(i) + "]",
                     "must be 1 to 64 printable characters");
  }
  if (spec.unique_key.size() > 256 || !all_of_chars(spec.unique_key, printable))
    return invalid(prefix, "unique_key",
                   "must be at most 256 printable characters");
  return caf::none;
}

caf::error validate_deps(const job_spec& spec, const job_limits& limits,
                         const std::string& prefix) {
  if (spec.deps.size() > limits.max_deps)
    return invalid(prefix, "deps",
                   "at most " + std::to_string(limits.max_deps) +
                       " dependencies are allowed, got " +
                       std::to_string(spec.deps.size()));
  for (size_t i = 0; i < spec.deps.size(); ++i) {
    const auto& dep = spec.deps[i];
    auto field = "deps[" + std::to_string(i) + "]";
    if (!is_valid_job_id(dep))
      return invalid(prefix, field, "must be a job id matching " + job_id_rule);
    if (!spec.id.empty() && dep == spec.id)
      return make_error(errc::dependency_cycle, prefix + field + ": job " +
                                                    dep +
                                                    " cannot depend on itself");
  }
  return caf::none;
}

caf::error validate_windows(const job_spec& spec, const std::string& prefix) {
  constexpr int64_t max_window_s = int64_t{366} * 24 * 3600;
  if (spec.unique_for_s < 0 || spec.unique_for_s > max_window_s)
    return invalid(prefix, "unique_for_s",
                   "must be between 0 and 31622400 seconds (366 days)");
  if (spec.unique_for_s > 0 && spec.unique_key.empty())
    return invalid(prefix, "unique_for_s", "needs a unique_key");
  if (spec.result_ttl_s < 0 || spec.result_ttl_s > 10 * max_window_s)
    return invalid(prefix, "result_ttl_s",
                   "must be between 0 and 316224000 seconds (3660 days)");
  return caf::none;
}

caf::error validate_payload(const std::string& payload,
                            const job_limits& limits,
                            const std::string& prefix) {
  if (payload.empty())
    return caf::none;
  auto depth = std::min(limits.max_payload_depth, max_safe_json_depth);
  switch (check_json(payload, depth)) {
  case json_check::ok:
    return caf::none;
  case json_check::too_deep:
    return invalid(prefix, "payload",
                   "arrays and objects may nest at most " +
                       std::to_string(depth) + " levels deep");
  case json_check::invalid:
    break;
  }
  return invalid(prefix, "payload", "must be valid JSON");
}

caf::error check_between(const std::string& prefix, const std::string& field,
                         int64_t value, int64_t lo, int64_t hi,
                         const std::string& unit = "") {
  if (value >= lo && value <= hi)
    return {};
  return invalid(prefix, field,
                 "must be between " + std::to_string(lo) + " and " +
                     std::to_string(hi) + (unit.empty() ? "" : " " + unit) +
                     ", got " + std::to_string(value));
}

} // namespace

caf::error check_priority(int64_t value, const std::string& prefix) {
  return check_between(prefix, "priority", value, min_priority, max_priority);
}

caf::error check_timeout_s(int64_t value, const job_limits& limits,
                           const std::string& prefix) {
  return check_between(prefix, "timeout_s", value, limits.min_timeout_s,
                       limits.max_timeout_s, "seconds");
}

caf::error check_max_retries(int64_t value, const job_limits& limits,
                             const std::string& prefix) {
  return check_between(prefix, "max_retries", value, 0, limits.max_retries);
}

caf::error check_backoff_base_ms(int64_t value, const std::string& prefix) {
  return check_between(prefix, "backoff_base_ms", value, 1, max_backoff_base_ms,
                       "milliseconds");
}

caf::error validate_batch_size(size_t count, const job_limits& limits) {
  if (count == 0)
    return make_error(errc::invalid_field, "jobs: at least one job is needed");
  if (count > limits.max_batch_jobs)
    return make_error(errc::invalid_field,
                      "jobs: a batch may hold at most " +
                          std::to_string(limits.max_batch_jobs) +
                          " jobs, got " + std::to_string(count));
  return caf::none;
}

bool is_valid_type_name(const std::string& type) {
  return !type.empty() && type.size() <= 64 &&
         all_of_chars(type, lower_alnum_or_punct);
}

bool is_valid_job_id(const std::string& id) {
  return !id.empty() && id.size() <= 128 && all_of_chars(id, id_char);
}

caf::error validate_spec(const job_spec& spec, const job_limits& limits,
                         const std::string& prefix) {
  if (!spec.id.empty() && !is_valid_job_id(spec.id))
    return invalid(prefix, "id", "must match " + job_id_rule);
  if (!is_valid_type_name(spec.type))
    return invalid(prefix, "type",
                   "must match " + type_name_rule + ", got \"" +
                       spec.type.substr(0, 80) + "\"");
  if (spec.payload.size() > limits.max_payload_bytes)
    return invalid(prefix, "payload",
                   "must be at most " +
                       std::to_string(limits.max_payload_bytes) +
                       " bytes, got " + std::to_string(spec.payload.size()));
  if (auto err = validate_payload(spec.payload, limits, prefix))
    return err;
  // 0 and -1 ask for the server's default; any other value is checked.
  if (spec.priority != 0)
    if (auto err = check_priority(spec.priority, prefix))
      return err;
  if (spec.timeout_s != -1)
    if (auto err = check_timeout_s(spec.timeout_s, limits, prefix))
      return err;
  if (spec.max_retries != -1)
    if (auto err = check_max_retries(spec.max_retries, limits, prefix))
      return err;
  if (spec.backoff_base_ms != 0)
    if (auto err = check_backoff_base_ms(spec.backoff_base_ms, prefix))
      return err;
  if (static_cast<size_t>(spec.on_dependency_failure) >=
      dependency_policy_count)
    return invalid(
        prefix, "on_dependency_failure",
        "must be fail, cancel or ignore (0-2), got " +
            std::to_string(static_cast<unsigned>(spec.on_dependency_failure)));
  if (spec.run_at_us < 0)
    return invalid(prefix, "run_at", "must not be before the Unix epoch");
  if (auto err = validate_windows(spec, prefix))
    return err;
  if (auto err = validate_labels(spec, prefix))
    return err;
  return validate_deps(spec, limits, prefix);
}

caf::error validate_list_query(const job_query& query) {
  if (query.has_status && static_cast<size_t>(query.status) >= job_status_count)
    return make_error(errc::invalid_field,
                      "status: must be a job status, got " +
                          std::to_string(static_cast<int>(query.status)));
  if (static_cast<uint8_t>(query.sort) >
      static_cast<uint8_t>(job_sort::updated))
    return make_error(errc::invalid_field,
                      "sort: must be created, priority or updated, got " +
                          std::to_string(static_cast<int>(query.sort)));
  if (query.limit < 1 || query.limit > max_jobs_per_list)
    return make_error(errc::invalid_field,
                      "limit: must be between 1 and " +
                          std::to_string(max_jobs_per_list) + ", got " +
                          std::to_string(query.limit));
  return caf::none;
}

caf::error validate_retry_query(job_query& query) {
  if (!query.has_status) {
    query.has_status = true;
    query.status = job_status::failed;
  }
  if (query.status != job_status::failed &&
      query.status != job_status::cancelled)
    return make_error(errc::invalid_field,
                      "status: only failed or cancelled jobs can be retried, "
                      "got " +
                          to_string(query.status));
  if (query.limit < 1 || query.limit > max_jobs_per_retry)
    return make_error(errc::invalid_field,
                      "limit: must be between 1 and " +
                          std::to_string(max_jobs_per_retry) + ", got " +
                          std::to_string(query.limit));
  return caf::none;
}

} // namespace troupe
