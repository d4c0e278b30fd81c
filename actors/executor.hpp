// The executor actor: runs registered handlers in a fixed number of slots,
// pulls work from the queue by credit, honours cancellation, sends heartbeats.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "caf/typed_event_based_actor.hpp"

#include "actors/detail/slot_pool.hpp"
#include "actors/job_handler.hpp"
#include "messages/interfaces.hpp"

namespace troupe {

/// Options of one executor.
struct executor_options {
  /// Name shown in the worker table and the history. Default: "executor".
  std::string name = "executor";
  /// Name of the node it runs on. Default: "local".
  std::string node = "local";
  /// Attempts it runs at once. Default: 4.
  uint32_t slots = 4;
  /// Job types it takes; empty takes every type it has a handler for.
  /// Default: empty.
  std::vector<std::string> types;
  /// Time between heartbeats. Default: 1 s.
  std::chrono::milliseconds heartbeat_interval{1000};
};

/// One running attempt.
struct running_attempt {
  uint32_t attempt = 0;
  std::shared_ptr<std::atomic<bool>> cancel_flag;
};

struct executor_state {
  executor_options options;
  /// The coordinator it serves; null handles while it has none.
  coordinator_peers peers;
  std::shared_ptr<const handler_map> handlers;
  std::vector<std::string> types;
  std::unordered_map<std::string, running_attempt> running;
  /// Set once the executor stops: outcomes are no longer reported, so the
  /// store keeps those attempts running and recovery re-queues them.
  std::shared_ptr<std::atomic<bool>> stopping =
      std::make_shared<std::atomic<bool>>(false);
  std::unique_ptr<detail::slot_pool> pool;
  /// Counts announcements to a coordinator; sent with every demand, so a
  /// re-join replaces the credits the queue holds instead of adding to them.
  uint64_t epoch = 0;
  /// Set by `drain`: asks for no more work.
  bool draining = false;
  /// Requests waiting for the last running attempt to end.
  std::vector<caf::typed_response_promise<ok_atom>> drained;
  static inline const char* name = "troupe.executor";
  ~executor_state();
};

/// Never blocks while running; on exit it cancels running attempts and joins
/// its handler threads. With null `peers` it waits for a `join` message.
executor_actor::behavior_type
executor(executor_actor::stateful_pointer<executor_state> self,
         executor_options options, coordinator_peers peers,
         std::shared_ptr<const handler_map> handlers);

/// The types an executor with `handlers` takes when asked for `wanted`
/// (every handled type if empty); fails naming a wanted type it lacks.
caf::expected<std::vector<std::string>>
executor_types(const handler_map& handlers,
               const std::vector<std::string>& wanted);

} // namespace troupe
