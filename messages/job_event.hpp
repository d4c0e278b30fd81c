// Events the scheduler publishes: one per transition or progress report of a
// job, delivered to the status reporter and from there to subscribers.
#pragma once

#include <cstdint>
#include <string>

#include "caf/meta/type_name.hpp"

#include "troupe/messages/job_status.hpp"

namespace troupe {

/// What a job event reports.
enum class job_event_kind : uint8_t {
  /// The job was created (`from == to`, its first status).
  created,
  /// The job moved from `from` to `to` (they may be equal on recovery).
  transition,
  /// The running attempt reported progress.
  progress,
  /// A start took the job over in status `to` (`from == to`) from the store.
  recovered,
};

/// One creation, transition or progress report of one job.
struct job_event {
  job_event_kind kind = job_event_kind::transition;
  std::string id;
  std::string type;
  std::string owner;
  job_status from = job_status::queued;
  job_status to = job_status::queued;
  uint32_t attempt = 0;
  uint8_t priority = 5;
  /// When it happened, microseconds since the epoch.
  int64_t time_us = 0;
  /// When the job's record changed last before this event: for a job that
  /// leaves `queued`, when it entered the queue (0 for a creation).
  int64_t previous_us = 0;
  /// When the job was created, so subscribers can compute latencies.
  int64_t created_us = 0;
  /// When the current attempt started (0 if it has not).
  int64_t started_us = 0;
  /// Progress 0 to 1 as last reported by the handler.
  double progress = 0;
  /// Why it happened, or the progress message.
  std::string message;
  /// Executor of the current attempt, if any.
  std::string executor;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, job_event& x) {
  return f(caf::meta::type_name("troupe::job_event"), x.kind, x.id, x.type,
           x.owner, x.from, x.to, x.attempt, x.priority, x.time_us,
           x.previous_us, x.created_us, x.started_us, x.progress, x.message,
           x.executor);
}

/// Which events a subscription receives.
enum class subscription_scope : uint8_t {
  /// Events of the job whose id is the key.
  job,
  /// Events of jobs whose type is the key.
  type,
  /// Every event.
  all,
};

} // namespace troupe
