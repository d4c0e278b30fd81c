// Periodic schedules: validation, the next firing of cron and interval
// schedules, missed-firing policies at start and when falling behind, and the
// bookkeeping of firings being submitted.
#include "troupe/actors/schedules/schedule_keeper_state.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "troupe/actors/schedules/cron_expression.hpp"
#include "troupe/messages/errc.hpp"

namespace troupe {

namespace {

constexpr int64_t us_per_ms = 1000;
constexpr int64_t us_per_s = 1000 * 1000;
constexpr int64_t max_every_ms = int64_t{366} * 24 * 3600 * 1000;
// Bounds the walk to the latest missed cron firing (a year of minutes).
constexpr int missed_walk_limit = 366 * 24 * 60;

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

caf::error invalid(const std::string& field, const std::string& rule) {
  return make_error(errc::invalid_field, field + ": " + rule);
}

/// The last firing of `x` at or before `now`, given that `first` (a firing)
/// is at or before `now`.
int64_t latest_firing(const periodic_schedule& x, int64_t first, int64_t now) {
  if (x.every_ms > 0) {
    auto every = x.every_ms * us_per_ms;
    return x.created_us + (now - x.created_us) / every * every;
  }
  auto latest = first;
  for (int i = 0; i < missed_walk_limit; ++i) {
    auto next = next_firing(x, latest);
    if (!next || *next > now)
      break;
    latest = *next;
  }
  return latest;
}

} // namespace

caf::error validate_schedule(const periodic_schedule& x,
                             const job_limits& limits) {
  if (x.name.empty() || x.name.size() > 64 ||
      !std::all_of(x.name.begin(), x.name.end(), name_char))
    return invalid("name", "must match [A-Za-z0-9_.-]{1,64}, got \"" +
                               x.name.substr(0, 80) + "\"");
  if (x.cron.empty() == (x.every_ms == 0))
    return invalid("schedule", "give exactly one of a cron expression or an "
                               "interval (every)");
  if (x.every_ms != 0 && (x.every_ms < 1000 || x.every_ms > max_every_ms))
    return invalid("every", "must be between 1s and 366d");
  if (!x.cron.empty()) {
    auto cron = cron_expression::parse(x.cron);
    if (!cron)
      return cron.error();
    if (!cron->next_after(x.created_us))
      return invalid("cron", "never matches a date (e.g. 30 February)");
  }
  if (static_cast<size_t>(x.missed) >= missed_policy_count)
    return invalid("missed",
                   "must be skip or run-once (0-1), got " +
                       std::to_string(static_cast<unsigned>(x.missed)));
  if (!x.job.id.empty())
    return invalid("job.id", "must be empty: each firing gets the id "
                             "NAME:TIME");
  if (!x.job.deps.empty())
    return invalid("job.deps", "a schedule's jobs cannot have dependencies");
  if (!x.job.unique_key.empty() || x.job.run_at_us != 0)
    return invalid("job", "a schedule's jobs take no unique key or run_at");
  return validate_spec(x.job, limits, "job.");
}

std::optional<int64_t> next_firing(const periodic_schedule& x,
                                   int64_t after_us) {
  if (x.every_ms > 0) {
    auto every = x.every_ms * us_per_ms;
    int64_t k = 1;
    if (after_us >= x.created_us)
      k = (after_us - x.created_us) / every + 1;
    return x.created_us + k * every;
  }
  auto cron = cron_expression::parse(x.cron);
  if (!cron)
    return std::nullopt;
  return cron->next_after(after_us);
}

std::string firing_job_id(const std::string& name, int64_t time_us) {
  auto seconds = static_cast<time_t>(time_us / us_per_s);
  auto millis = static_cast<int>((time_us % us_per_s) / us_per_ms);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buf[96];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d",
                utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour,
                utc.tm_min, utc.tm_sec);
  std::string out = name + ":" + buf;
  if (millis != 0) {
    std::snprintf(buf, sizeof(buf), ".%03d", millis);
    out += buf;
  }
  return out + "Z";
}

schedule_keeper_state::schedule_keeper_state(job_limits limits)
    : limits_(limits) {
  // nop
}

void schedule_keeper_state::plan(periodic_schedule& x, int64_t now) {
  auto anchor = x.last_fired_us != 0 ? x.last_fired_us : x.created_us;
  auto next = next_firing(x, anchor);
  if (!next) {
    x.next_fire_us = 0; // Never fires; validation keeps this rare.
  } else if (*next > now) {
    x.next_fire_us = *next;
  } else if (x.missed == missed_policy::skip) {
    x.next_fire_us = next_firing(x, now).value_or(0);
  } else {
    // run-once: one job for the whole missed period, named after its
    // latest time, fired at once.
    x.next_fire_us = latest_firing(x, *next, now);
  }
}

void schedule_keeper_state::load(std::vector<periodic_schedule> stored,
                                 int64_t now) {
  for (auto& x : stored) {
    plan(x, now);
    auto name = x.name;
    schedules_.insert_or_assign(std::move(name), std::move(x));
  }
}

caf::expected<periodic_schedule> schedule_keeper_state::add(periodic_schedule x,
                                                            int64_t now) {
  x.created_us = now;
  x.last_fired_us = 0;
  x.last_job_id.clear();
  if (auto err = validate_schedule(x, limits_))
    return err;
  if (schedules_.count(x.name))
    return make_error(errc::invalid_field,
                      "name: a schedule named " + x.name + " already exists");
  plan(x, now);
  schedules_.emplace(x.name, x);
  return x;
}

caf::error schedule_keeper_state::remove(const std::string& name) {
  if (schedules_.erase(name) == 0)
    return make_error(errc::not_found, "name: no schedule " + name);
  in_flight_.erase(name);
  retry_at_.erase(name);
  return caf::none;
}

std::vector<periodic_schedule> schedule_keeper_state::list() const {
  std::vector<periodic_schedule> out;
  for (const auto& [name, x] : schedules_)
    out.push_back(x);
  return out;
}

std::vector<schedule_firing> schedule_keeper_state::due(int64_t now) {
  std::vector<schedule_firing> out;
  for (const auto& [name, x] : schedules_) {
    if (x.next_fire_us == 0 || x.next_fire_us > now || in_flight_.count(name))
      continue;
    if (auto i = retry_at_.find(name); i != retry_at_.end() && i->second > now)
      continue;
    schedule_firing firing;
    firing.schedule = name;
    firing.time_us = x.next_fire_us;
    firing.job = x.job;
    firing.job.id = firing_job_id(name, x.next_fire_us);
    firing.job.tags.push_back("schedule:" + name);
    out.push_back(std::move(firing));
    in_flight_.insert(name);
  }
  return out;
}

std::optional<periodic_schedule>
schedule_keeper_state::fired(const std::string& name, int64_t time_us,
                             const std::string& job_id, int64_t now) {
  in_flight_.erase(name);
  retry_at_.erase(name);
  auto i = schedules_.find(name);
  if (i == schedules_.end())
    return std::nullopt;
  auto& x = i->second;
  x.last_fired_us = std::max(x.last_fired_us, time_us);
  x.last_job_id = job_id;
  plan(x, now);
  return x;
}

void schedule_keeper_state::fire_failed(const std::string& name,
                                        int64_t retry_at) {
  in_flight_.erase(name);
  if (schedules_.count(name))
    retry_at_[name] = retry_at;
}

std::optional<int64_t> schedule_keeper_state::next_due() const {
  std::optional<int64_t> best;
  for (const auto& [name, x] : schedules_) {
    if (x.next_fire_us == 0 || in_flight_.count(name))
      continue;
    auto due = x.next_fire_us;
    if (auto i = retry_at_.find(name); i != retry_at_.end())
      due = std::max(due, i->second);
    if (!best || due < *best)
      best = due;
  }
  return best;
}

const periodic_schedule*
schedule_keeper_state::find(const std::string& name) const {
  auto i = schedules_.find(name);
  return i != schedules_.end() ? &i->second : nullptr;
}

} // namespace troupe
