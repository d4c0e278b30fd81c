// The benchmark's two actors: a submitter that keeps a few batch requests in
// flight and a collector that timestamps the job events of a subscription.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "caf/actor.hpp"
#include "caf/actor_system.hpp"

#include "troupe/messages/interfaces.hpp"

namespace troupe::bench {

/// Microseconds since the Unix epoch from the system clock, the unit and
/// origin of `job_event::time_us`.
int64_t wall_now_us();

/// Progress counters, read by the main thread to explain a timeout.
struct live_counters {
  /// Ids received in submit replies.
  std::atomic<size_t> submitted{0};
  /// Jobs seen entering running.
  std::atomic<size_t> started{0};
  /// Jobs seen reaching a terminal status.
  std::atomic<size_t> finished{0};
};

/// One submit request: when it was sent and the ids it was answered with.
struct submitted_batch {
  /// Client-side send time, microseconds since the epoch.
  int64_t sent_us = 0;
  /// Ids assigned by the scheduler, in spec order.
  std::vector<std::string> ids;
};

/// What the submitter hands back once every batch was answered.
struct submit_log {
  /// Every batch in sending order.
  std::vector<submitted_batch> batches;
  /// Send time of the first batch.
  int64_t first_send_us = 0;
  /// Receive time of the last reply.
  int64_t last_reply_us = 0;
  /// Why a submit failed; empty if all succeeded.
  std::string error;
};

/// Event times of one job on the scheduler's clock (us since the epoch).
struct job_times {
  /// `time_us` of the transition to running; 0 if none was seen.
  int64_t started_us = 0;
  /// `time_us` of the transition to a terminal status; 0 if none was seen.
  int64_t finished_us = 0;
  /// True if that terminal status was completed.
  bool completed = false;
};

/// What the collector hands back once every job is terminal.
struct event_log {
  /// Times per job id.
  std::unordered_map<std::string, job_times> jobs;
  /// Client-side receive time of the last terminal event.
  int64_t last_finish_seen_us = 0;
  /// Jobs that ended failed or cancelled.
  size_t failed = 0;
};

/// How the submitted jobs depend on each other.
struct job_shape {
  /// none: independent jobs; chains: `width` chains, each job waiting for
  /// the one before it in its chain; fan_in: groups of `width` jobs, the
  /// last of each waiting for all the others.
  enum kind_t { none, chains, fan_in } kind = none;
  size_t width = 0;
};

/// The spec of job `n` (from 0) of a run of `shape`, with client ids when
/// the jobs depend on each other.
job_spec shaped_spec(const job_shape& shape, size_t n);

/// Parameters of the submitter.
struct submitter_config {
  /// Where the batches go.
  scheduler_actor scheduler;
  /// Jobs to submit in total.
  size_t jobs = 0;
  /// Jobs per request.
  size_t batch = 1;
  /// Requests kept in flight.
  size_t in_flight = 1;
  /// Open loop at this many jobs per second instead (0: closed loop).
  size_t rate = 0;
  /// Dependencies between the jobs.
  job_shape shape;
  /// Job type of every spec.
  std::string type;
  /// Payload (JSON text) of every spec; empty keeps `job_spec`'s default.
  std::string payload;
  /// Shared progress counters.
  std::shared_ptr<live_counters> counters;
  /// Fulfilled once, after the last reply or the first error.
  std::shared_ptr<std::promise<submit_log>> done;
};

/// Spawns the submitter; it starts sending at once and quits when done.
caf::actor spawn_submitter(caf::actor_system& sys, submitter_config config);

/// Spawns the collector, which expects the events of `jobs` jobs, fulfils
/// `done` once all are terminal and quits.
caf::actor spawn_collector(caf::actor_system& sys, size_t jobs,
                           std::shared_ptr<live_counters> counters,
                           std::shared_ptr<std::promise<event_log>> done);

} // namespace troupe::bench
