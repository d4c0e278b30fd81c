// The scheduler actor: the front door and single owner of every job's state
// machine (scheduler_state). It persists each transition before acting on it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "caf/typed_event_based_actor.hpp"

#include "troupe/actors/cluster/local_only.hpp"
#include "troupe/actors/scheduler/commit_pipeline.hpp"
#include "troupe/actors/scheduler/scheduler_state.hpp"
#include "troupe/actors/wall_clock.hpp"
#include "troupe/messages/interfaces.hpp"

namespace troupe {

/// Where the scheduler sends its effects.
struct scheduler_peers {
  persistence_actor persistence;
  queue_actor queue;
  status_reporter_actor reporter;
  /// Receives the schedule requests; unset means no periodic schedules.
  schedule_keeper_actor schedules;
};

/// Where a start is in taking over the store's unfinished jobs.
struct recovery_progress {
  /// The status being read, and the cursor of its next page.
  job_status status = job_status::running;
  std::string after;
  /// Waiting jobs read so far: taken over together once all are read.
  std::vector<job_record> waiting;
  /// Jobs taken over so far.
  size_t recovered = 0;
  /// Work that named jobs not taken over yet, with how to refuse it if the
  /// node stops first; run in order once recovery is done.
  std::vector<
      std::pair<std::function<void()>, std::function<void(const caf::error&)>>>
      deferred;
  int64_t started_us = 0;
};

struct scheduler_actor_state {
  std::optional<scheduler_state> machine;
  std::optional<wall_clock> clock;
  scheduler_peers peers;
  dependency_tracker_actor tracker;
  /// Tickets, batches in flight, held replies and drain.
  commit_pipeline commits;
  /// Executor of each running attempt, to stop it on cancel or timeout.
  std::unordered_map<std::string, executor_actor> running_on;
  /// Due time of the pending tick, if any.
  std::optional<int64_t> armed_tick;
  /// Every limit and pause in force (the queue holds the same).
  dispatch_controls controls;
  /// Set from a start until every unfinished job is taken over.
  std::optional<recovery_progress> recovery;
  static inline const char* name = "troupe.scheduler";
};

namespace detail {

/// The scheduler's clock, for the files of its shell.
int64_t now_us(scheduler_actor::stateful_pointer<scheduler_actor_state> self);

/// After every change of the state machine: schedules a flush of its writes
/// and re-arms the timer.
void changed(scheduler_actor::stateful_pointer<scheduler_actor_state> self);

/// While the scheduler is still taking over the store's unfinished jobs,
/// keeps `then` (and `fail`, called instead if the node stops first) for
/// when it is done and returns true; otherwise returns false. Work that
/// needs to look jobs up in the store waits this way, since the store may
/// name jobs the scheduler does not hold yet.
bool defer_until_recovered(
    scheduler_actor::stateful_pointer<scheduler_actor_state> self,
    std::function<void()> then, std::function<void(const caf::error&)> fail);

/// Answers `rp` with `status` (or the state machine's error) once the
/// change that produced it is durable, and schedules the flush.
void reply_when_durable(
    scheduler_actor::stateful_pointer<scheduler_actor_state> self,
    caf::typed_response_promise<job_status> rp,
    caf::expected<job_status> status);

} // namespace detail

/// Spawns the dependency tracker itself and links to it.
scheduler_actor::behavior_type
scheduler(local_only_pointer<scheduler_actor, scheduler_actor_state> self,
          scheduler_config config, scheduler_peers peers);

} // namespace troupe
