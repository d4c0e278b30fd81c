// A fixed set of threads that run blocking handler calls, so that user code
// never runs on CAF's shared worker threads.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace troupe::detail {

/// Runs posted tasks on `size` dedicated threads; joins them on destruction.
class slot_pool {
public:
  explicit slot_pool(size_t size);
  ~slot_pool();

  slot_pool(const slot_pool&) = delete;
  slot_pool& operator=(const slot_pool&) = delete;

  /// Queues `task` for the next free thread.
  void post(std::function<void()> task);

private:
  void run();

  std::mutex mtx_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

} // namespace troupe::detail
