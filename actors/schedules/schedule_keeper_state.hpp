// The schedule keeper's state as a plain struct: every periodic schedule, its
// next firing and the missed-firing policy, testable without an actor system.
// It decides what to fire; the actor shell submits and records the firings.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "caf/expected.hpp"

#include "troupe/actors/scheduler/spec_validation.hpp"
#include "troupe/messages/schedule.hpp"

namespace troupe {

/// Checks a schedule given by a user: name `[A-Za-z0-9_.-]{1,64}`, exactly
/// one of a valid cron expression (that fires at all) or an interval of at
/// least 1 s, and a job template that is a valid spec without id or deps.
caf::error validate_schedule(const periodic_schedule& x,
                             const job_limits& limits);

/// The first firing time of `x` strictly after `after_us`: the next matching
/// minute of its cron expression, or the next point of its interval grid
/// (created + k * every). `nullopt` if the cron expression never matches.
std::optional<int64_t> next_firing(const periodic_schedule& x,
                                   int64_t after_us);

/// The id of the job fired by schedule `name` at `time_us`:
/// "NAME:2026-11-23T10:00:00Z" (milliseconds only when not 0).
std::string firing_job_id(const std::string& name, int64_t time_us);

/// One firing to submit: schedule name, firing time and the job.
struct schedule_firing {
  std::string schedule;
  int64_t time_us = 0;
  /// The template with id `firing_job_id(...)` and tag "schedule:NAME".
  job_spec job;
};

/// Every schedule of a node and when each fires next.
class schedule_keeper_state {
public:
  explicit schedule_keeper_state(job_limits limits = {});

  /// Takes over stored schedules at start. A schedule whose next firing
  /// after its last one (or its creation) is not in the future missed
  /// firings while down: `skip` continues with the first time after `now`;
  /// `run-once` fires once now, as the latest missed time.
  void load(std::vector<periodic_schedule> stored, int64_t now);

  /// Adds a new schedule (created now); fails if invalid or the name is
  /// taken. Returns it with its next firing: what the shell must store.
  caf::expected<periodic_schedule> add(periodic_schedule x, int64_t now);

  /// Removes schedule `name`; `errc::not_found` if there is none.
  caf::error remove(const std::string& name);

  /// Every schedule by name, with `next_fire_us` set.
  std::vector<periodic_schedule> list() const;

  /// The firings due at `now` that are not already being submitted; marks
  /// them as being submitted.
  std::vector<schedule_firing> due(int64_t now);

  /// The job of the firing of `name` at `time_us` is durable. Records the
  /// firing and plans the next one; returns the schedule to store, or
  /// `nullopt` if it was removed meanwhile.
  std::optional<periodic_schedule> fired(const std::string& name,
                                         int64_t time_us,
                                         const std::string& job_id,
                                         int64_t now);

  /// Submitting the firing of `name` failed; it is tried again at
  /// `retry_at`.
  void fire_failed(const std::string& name, int64_t retry_at);

  /// The earliest next firing not being submitted, if any.
  std::optional<int64_t> next_due() const;

  /// The schedule `name`, or null.
  const periodic_schedule* find(const std::string& name) const;

private:
  void plan(periodic_schedule& x, int64_t now);

  job_limits limits_;
  std::map<std::string, periodic_schedule> schedules_;
  /// Schedules whose due firing is being submitted.
  std::set<std::string> in_flight_;
  /// Earliest retry of a firing whose submission failed, by schedule.
  std::map<std::string, int64_t> retry_at_;
};

} // namespace troupe
