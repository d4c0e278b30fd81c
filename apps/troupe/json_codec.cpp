// JSON conversion of jobs, history, statistics and workers, and reading of
// job specs from JSON. Field names here are the public format: change none.
#include "apps/troupe/json_codec.hpp"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <set>

#include "troupe/actors/scheduler/json_depth.hpp"

namespace troupe::cli {

namespace {

using json = nlohmann::ordered_json;
using input_json = nlohmann::json;

constexpr int64_t us_per_s = 1000 * 1000;

// Stored JSON text back into a value; text that is not JSON stays a string
// so that output never fails on an old or odd record.
json parse_or_string(const std::string& text) {
  // Results are whatever handlers returned: too deep to print as a tree
  // (printing recurses), they are shown as the text they are.
  if (check_json(text, max_safe_json_depth) != json_check::ok)
    return json(text);
  auto value = json::parse(text, nullptr, false);
  return value.is_discarded() ? json(text) : value;
}

json percentiles_ms(const std::vector<int64_t>& samples_us) {
  static const char* names[] = {"p50", "p90", "p99"};
  json result = json::object();
  for (size_t i = 0; i < 3; ++i)
    result[names[i]] = i < samples_us.size()
                           ? json(static_cast<double>(samples_us[i]) / 1000.0)
                           : json(nullptr);
  return result;
}

std::string read_integer(const input_json& value, const std::string& field,
                         int64_t lo, int64_t hi, int64_t& out) {
  if (!value.is_number_integer())
    return field + ": must be an integer";
  auto number = value.get<int64_t>();
  if (value.is_number_unsigned() && value.get<uint64_t>() > uint64_t(hi))
    number = hi + 1;
  if (number < lo || number > hi)
    return field + ": must be between " + std::to_string(lo) + " and " +
           std::to_string(hi) + ", got " + value.dump();
  out = number;
  return {};
}

std::string read_strings(const input_json& value, const std::string& field,
                         std::vector<std::string>& out) {
  if (!value.is_array())
    return field + ": must be an array of strings";
  out.clear();
  for (size_t i = 0; i < value.size(); ++i) {
    if (!value[i].is_string())
      return field + "[" + std::to_string(i) + "]: must be a string";
    out.push_back(value[i].get<std::string>());
  }
  return {};
}

std::string read_string(const input_json& value, const std::string& field,
                        std::string& out) {
  if (!value.is_string())
    return field + ": must be a string";
  out = value.get<std::string>();
  return {};
}

std::string read_policy(const input_json& value, const std::string& field,
                        dependency_policy& out) {
  std::string name;
  if (auto err = read_string(value, field, name); !err.empty())
    return err;
  auto policy = parse_dependency_policy(name);
  if (!policy)
    return field + ": must be one of fail, cancel, ignore, got \"" + name +
           "\"";
  out = *policy;
  return {};
}

std::string read_run_at(const input_json& value, const std::string& field,
                        int64_t& out) {
  if (value.is_null()) {
    out = 0;
    return {};
  }
  auto time = value.is_string() ? parse_rfc3339(value.get<std::string>())
                                : std::nullopt;
  if (!time)
    return field + ": must be an RFC 3339 time (e.g. 2024-05-01T12:00:00Z) "
                   "or null";
  out = *time;
  return {};
}

// Reads one known spec field; returns an error, or empty.
std::string read_spec_field(const std::string& key, const input_json& value,
                            const std::string& field, job_spec& out) {
  int64_t number = 0;
  std::string err;
  if (key == "id")
    return read_string(value, field, out.id);
  if (key == "type")
    return read_string(value, field, out.type);
  if (key == "payload") {
    out.payload = value.dump();
    return {};
  }
  if (key == "priority") {
    err = read_integer(value, field, 1, 10, number);
    out.priority = static_cast<uint8_t>(number);
  } else if (key == "timeout_s") {
    err = read_integer(value, field, 1, INT32_MAX, number);
    out.timeout_s = static_cast<int32_t>(number);
  } else if (key == "max_retries") {
    err = read_integer(value, field, 0, INT32_MAX, number);
    out.max_retries = static_cast<int32_t>(number);
  } else if (key == "backoff_base_ms") {
    err = read_integer(value, field, 0, INT64_MAX, number);
    out.backoff_base_ms = number;
  } else if (key == "deps") {
    err = read_strings(value, field, out.deps);
  } else if (key == "tags") {
    err = read_strings(value, field, out.tags);
  } else if (key == "owner") {
    err = read_string(value, field, out.owner);
  } else if (key == "unique_key") {
    err = read_string(value, field, out.unique_key);
  } else if (key == "on_dependency_failure") {
    err = read_policy(value, field, out.on_dependency_failure);
  } else if (key == "run_at") {
    err = read_run_at(value, field, out.run_at_us);
  } else if (key == "unique_for_s") {
    err = read_integer(value, field, 0, INT32_MAX, out.unique_for_s);
  } else if (key == "result_ttl_s") {
    err = read_integer(value, field, 0, INT32_MAX, out.result_ttl_s);
  }
  return err;
}

} // namespace

std::string format_rfc3339(int64_t time_us) {
  auto seconds = static_cast<time_t>(time_us / us_per_s);
  auto millis = static_cast<int>((time_us % us_per_s) / 1000);
  if (time_us < 0 && time_us % us_per_s != 0) {
    seconds -= 1;
    millis += 1000;
  }
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buf[96]; // Room for any int the compiler cannot rule out.
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour,
                utc.tm_min, utc.tm_sec, millis);
  return buf;
}

std::optional<int64_t> parse_rfc3339(const std::string& text) {
  std::tm utc{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &utc.tm_year,
                  &utc.tm_mon, &utc.tm_mday, &utc.tm_hour, &utc.tm_min,
                  &utc.tm_sec, &consumed) != 6 ||
      consumed != 19)
    return std::nullopt;
  if (utc.tm_mon < 1 || utc.tm_mon > 12 || utc.tm_mday < 1 ||
      utc.tm_mday > 31 || utc.tm_hour > 23 || utc.tm_min > 59 ||
      utc.tm_sec > 60)
    return std::nullopt;
  utc.tm_year -= 1900;
  utc.tm_mon -= 1;
  int64_t fraction_us = 0;
  size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    int64_t scale = 100000;
    for (++pos; pos < text.size() &&
                std::isdigit(static_cast<unsigned char>(text[pos]));
         ++pos) {
      fraction_us += (text[pos] - '0') * scale;
      scale /= 10;
    }
  }
  int64_t offset_s = 0;
  auto zone = text.substr(pos);
  int hours = 0, minutes = 0;
  if (zone == "Z" || zone == "z") {
    offset_s = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') &&
             std::sscanf(zone.c_str() + 1, "%2d:%2d", &hours, &minutes) == 2) {
    offset_s = (zone[0] == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
  } else {
    return std::nullopt;
  }
  auto seconds = static_cast<int64_t>(timegm(&utc)) - offset_s;
  return seconds * us_per_s + fraction_us;
}

int64_t shown_run_at(const job_record& job) {
  // On the first attempt run_at is the one submitted; later it is a retry's
  // backoff, past once the job runs or ended.
  bool started = job.status == job_status::running || is_terminal(job.status);
  return started && job.attempt > 1 ? 0 : job.run_at_us;
}

std::string shown_progress_message(const job_record& job) {
  // What the handler said while running; it describes no ended job.
  return job.status == job_status::running ? job.progress_message : "";
}

json time_or_null(int64_t time_us) {
  return time_us == 0 ? json(nullptr) : json(format_rfc3339(time_us));
}

json record_to_json(const job_record& job) {
  return json{
      {"id", job.id},
      {"type", job.type},
      {"payload", parse_or_string(job.payload.empty() ? "{}" : job.payload)},
      {"priority", job.priority},
      {"deps", job.deps},
      {"on_dependency_failure", to_string(job.on_dependency_failure)},
      {"timeout_s", job.timeout_s},
      {"max_retries", job.max_retries},
      {"backoff_base_ms", job.backoff_base_ms},
      {"owner", job.owner},
      {"tags", job.tags},
      {"unique_key", job.unique_key},
      {"run_at", time_or_null(shown_run_at(job))},
      {"unique_for_s", job.unique_for_s},
      {"result_ttl_s", job.result_ttl_s},
      {"status", to_string(job.status)},
      {"attempt", job.attempt},
      {"executor", job.executor},
      {"node", job.node},
      {"progress", job.progress},
      {"progress_message", shown_progress_message(job)},
      {"result",
       job.result.empty() ? json(nullptr) : parse_or_string(job.result)},
      {"error", job.error},
      {"created", time_or_null(job.created_us)},
      {"updated", time_or_null(job.updated_us)},
      {"started", time_or_null(job.started_us)},
      {"finished", time_or_null(job.finished_us)},
  };
}

json spec_to_json(const job_spec& spec) {
  json result{
      {"type", spec.type},
      {"payload", parse_or_string(spec.payload.empty() ? "{}" : spec.payload)},
      {"deps", spec.deps},
      {"on_dependency_failure", to_string(spec.on_dependency_failure)},
      {"owner", spec.owner},
      {"tags", spec.tags},
      {"unique_key", spec.unique_key},
      {"run_at", time_or_null(spec.run_at_us)},
  };
  if (!spec.id.empty())
    result["id"] = spec.id;
  // Unset numbers stay absent so that the server's defaults apply.
  if (spec.priority != 0)
    result["priority"] = spec.priority;
  if (spec.timeout_s >= 0)
    result["timeout_s"] = spec.timeout_s;
  if (spec.max_retries >= 0)
    result["max_retries"] = spec.max_retries;
  if (spec.backoff_base_ms > 0)
    result["backoff_base_ms"] = spec.backoff_base_ms;
  if (spec.unique_for_s > 0)
    result["unique_for_s"] = spec.unique_for_s;
  if (spec.result_ttl_s > 0)
    result["result_ttl_s"] = spec.result_ttl_s;
  return result;
}

std::string spec_from_json(const input_json& object, job_spec& out,
                           const std::string& prefix) {
  static const std::set<std::string> spec_fields{
      "id",        "type",         "payload",
      "priority",  "deps",         "on_dependency_failure",
      "timeout_s", "max_retries",  "backoff_base_ms",
      "owner",     "tags",         "unique_key",
      "run_at",    "unique_for_s", "result_ttl_s"};
  // Runtime fields of an exported record are ignored, so that the output of
  // `list --json` can be submitted again.
  static const std::set<std::string> runtime_fields{
      "status",   "attempt",          "executor", "node",
      "progress", "progress_message", "result",   "error",
      "created",  "updated",          "started",  "finished"};
  if (!object.is_object())
    return (prefix.empty() ? std::string{"job"}
                           : prefix.substr(0, prefix.size() - 1)) +
           ": must be a JSON object";
  out = job_spec{};
  for (const auto& [key, value] : object.items()) {
    if (runtime_fields.count(key))
      continue;
    if (!spec_fields.count(key))
      return prefix + key + ": unknown field";
    if (auto err = read_spec_field(key, value, prefix + key, out); !err.empty())
      return err;
  }
  if (out.type.empty())
    return prefix + "type: is required";
  return {};
}

json history_to_json(const history_entry& entry) {
  return json{
      {"seq", entry.seq},
      {"time", time_or_null(entry.time_us)},
      {"from", to_string(entry.from)},
      {"to", to_string(entry.to)},
      {"attempt", entry.attempt},
      {"executor", entry.executor},
      {"node", entry.node},
      {"principal", entry.principal},
      {"message", entry.message},
  };
}

json stats_to_json(const stats_snapshot& stats) {
  json by_status = json::object();
  for (size_t i = 0; i < job_status_count; ++i)
    by_status[to_string(static_cast<job_status>(i))] =
        i < stats.by_status.size() ? stats.by_status[i] : 0;
  json by_priority = json::object();
  for (size_t i = 0; i < stats.depth_by_priority.size(); ++i)
    by_priority[std::to_string(i + 1)] = stats.depth_by_priority[i];
  return json{
      {"by_status", by_status},
      {"depth_by_priority", by_priority},
      {"depth_by_type", stats.depth_by_type},
      {"throughput_per_s", stats.throughput_per_s},
      {"wait_ms", percentiles_ms(stats.wait_us)},
      {"run_ms", percentiles_ms(stats.run_us)},
      {"throttled", stats.throttled},
      {"paused", stats.paused},
  };
}

json executor_to_json(const executor_info& info, int64_t now_us) {
  return json{
      {"name", info.name},
      {"node", info.node},
      {"types", info.types},
      {"slots", info.slots},
      {"running", info.running},
      {"heartbeat", time_or_null(info.heartbeat_us)},
      {"heartbeat_age_s",
       static_cast<double>(now_us - info.heartbeat_us) / us_per_s},
  };
}

std::string dump_json(const json& value, int indent) {
  return value.dump(indent, ' ', false, json::error_handler_t::replace);
}

} // namespace troupe::cli
