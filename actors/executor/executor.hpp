// The executor actor: runs registered handlers in a fixed number of slots,
// pulls work from the queue by credit (a window deeper than its slots for
// short handlers), honours cancellation, reports in batches, sends heartbeats.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "caf/send.hpp"
#include "caf/typed_event_based_actor.hpp"

#include "troupe/actors/executor/dispatch_window.hpp"
#include "troupe/actors/executor/job_handler.hpp"
#include "troupe/actors/executor/slot_pool.hpp"
#include "troupe/messages/interfaces.hpp"

namespace troupe {

/// Options of one executor.
struct executor_options {
  /// Name shown in the worker table and the history. Default: "executor".
  std::string name = "executor";
  /// Name of the node it runs on. Default: "local".
  std::string node = "local";
  /// Attempts it runs at once. Default: `default_executor_slots`.
  uint32_t slots = default_executor_slots;
  /// Job types it takes; empty takes every type it has a handler for.
  /// Default: empty.
  std::vector<std::string> types;
  /// Time between heartbeats. Default: 1 s.
  std::chrono::milliseconds heartbeat_interval{1000};
  /// How long a stopping executor waits for its cancelled handlers to
  /// return. One that does not is abandoned: reported on stderr, left on its
  /// thread, and its attempt stays running in the store, so it is re-queued
  /// as after a crash. Longer than a shell job needs from SIGTERM through
  /// SIGKILL to its reaped end, so shell jobs are never abandoned.
  /// Default: 5 s.
  std::chrono::milliseconds abandon_after{5000};
  /// Handler time per slot it keeps in hand beyond the running attempts,
  /// so the slots never wait for the queue: short handlers get attempts
  /// waiting for a slot, handlers longer than this none. Default: 2 ms.
  std::chrono::microseconds lookahead{2000};
  /// Most attempts waiting for a slot (at most
  /// `remote_input_limits::max_waiting`). Default: 256.
  uint32_t max_waiting = 256;
};

/// Where slot threads send outcomes and progress: the executor while it
/// runs, nowhere once it stopped. Slot threads hold this, never the actor,
/// so an abandoned handler can outlive the actor system harmlessly.
class executor_outlet {
public:
  explicit executor_outlet(executor_actor handle) : handle_(std::move(handle)) {
    // nop
  }

  /// Sends `xs` to the executor unless it stopped.
  template <class... Ts>
  void send(Ts&&... xs) {
    std::lock_guard<std::mutex> guard{mtx_};
    if (handle_)
      caf::anon_send(handle_, std::forward<Ts>(xs)...);
  }

  /// Drops everything sent from now on.
  void close() {
    std::lock_guard<std::mutex> guard{mtx_};
    handle_ = nullptr;
  }

private:
  std::mutex mtx_;
  executor_actor handle_;
};

/// Where the handler of an attempt is: queued on the pool, running, done.
enum class attempt_stage : uint8_t { queued, running, returned };

/// One attempt it holds, waiting for a slot or running.
struct running_attempt {
  uint32_t attempt = 0;
  /// Whether a slot began it.
  bool started = false;
  std::shared_ptr<std::atomic<bool>> cancel_flag;
  std::shared_ptr<std::atomic<attempt_stage>> stage;
  /// The attempt's fence, echoed in every report on it.
  uint64_t fence = 0;
};

struct executor_state {
  executor_options options;
  /// The coordinator it serves; null handles while it has none.
  coordinator_peers peers;
  std::shared_ptr<const handler_map> handlers;
  std::vector<std::string> types;
  /// Attempts dispatched to it and not finished: running or waiting.
  std::unordered_map<std::string, running_attempt> running;
  /// How many attempts it asks the queue for.
  dispatch_window window{default_executor_slots, 0, 0};
  /// Reports collected since the last flush, sent together.
  std::vector<attempt_start> starts;
  std::vector<attempt_outcome> outcomes;
  bool flush_scheduled = false;
  /// Closed once the executor stops: outcomes are no longer reported, so
  /// the store keeps those attempts running and recovery re-queues them.
  std::shared_ptr<executor_outlet> outlet;
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

/// Never blocks while running; on exit it cancels running attempts, waits
/// up to `abandon_after` for their handlers and abandons the rest. With null
/// `peers` it waits for a `join` message.
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
