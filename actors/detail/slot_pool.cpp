// Worker threads of the slot pool: take a task, run it, repeat until stopped.
#include "actors/detail/slot_pool.hpp"

namespace troupe::detail {

slot_pool::slot_pool(size_t size) {
  threads_.reserve(size);
  for (size_t i = 0; i < size; ++i)
    threads_.emplace_back([this] { run(); });
}

slot_pool::~slot_pool() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_)
    t.join();
}

void slot_pool::post(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    tasks_.push_back(std::move(task));
  }
  cv_.notify_one();
}

void slot_pool::run() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> guard{mtx_};
      cv_.wait(guard, [this] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty())
        return; // Stopping and nothing left to run.
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

} // namespace troupe::detail
