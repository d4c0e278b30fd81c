// A fixed set of threads that run blocking handler calls, so that user code
// never runs on CAF's shared worker threads. Stopping waits a bounded time:
// a handler that never returns is left running on its thread, never waited
// for without end.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

namespace troupe::detail {

/// Runs posted tasks on `size` dedicated threads.
class slot_pool {
public:
  explicit slot_pool(size_t size);

  /// Stops without a time limit unless `stop` was called.
  ~slot_pool();

  slot_pool(const slot_pool&) = delete;
  slot_pool& operator=(const slot_pool&) = delete;

  /// Queues `task` for the next free thread; ignored once stopped.
  void post(std::function<void()> task);

  /// Takes no more tasks, drops those not started yet, and waits up to
  /// `patience` (for ever if none) for the running ones to return. Returns
  /// how many still run: their threads are detached and end when their
  /// task returns, and must not touch anything the caller frees.
  size_t stop(std::optional<std::chrono::milliseconds> patience);

private:
  struct shared;
  std::shared_ptr<shared> shared_;
  std::vector<std::thread> threads_;
  bool stopped_ = false;
};

} // namespace troupe::detail
