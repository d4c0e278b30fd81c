// Worker threads of the slot pool: take a task, run it, repeat until stopped.
// The threads share the queue through a shared pointer, so a detached thread
// never outlives what it uses.
#include "troupe/actors/executor/slot_pool.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>

namespace troupe::detail {

struct slot_pool::shared {
  std::mutex mtx;
  std::condition_variable work;
  std::condition_variable exited;
  std::deque<std::function<void()>> tasks;
  bool stopping = false;
  size_t alive = 0;

  void run() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock<std::mutex> guard{mtx};
        work.wait(guard, [this] { return stopping || !tasks.empty(); });
        if (stopping)
          break;
        task = std::move(tasks.front());
        tasks.pop_front();
      }
      task();
    }
    std::lock_guard<std::mutex> guard{mtx};
    --alive;
    exited.notify_all();
  }
};

slot_pool::slot_pool(size_t size) : shared_(std::make_shared<shared>()) {
  shared_->alive = size;
  threads_.reserve(size);
  for (size_t i = 0; i < size; ++i)
    threads_.emplace_back([s = shared_] { s->run(); });
}

slot_pool::~slot_pool() {
  if (!stopped_)
    stop(std::nullopt);
}

void slot_pool::post(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> guard{shared_->mtx};
    if (shared_->stopping)
      return;
    shared_->tasks.push_back(std::move(task));
  }
  shared_->work.notify_one();
}

size_t slot_pool::stop(std::optional<std::chrono::milliseconds> patience) {
  stopped_ = true;
  size_t still_running = 0;
  {
    std::unique_lock<std::mutex> guard{shared_->mtx};
    shared_->stopping = true;
    shared_->tasks.clear();
    shared_->work.notify_all();
    auto all_exited = [this] { return shared_->alive == 0; };
    if (patience)
      shared_->exited.wait_for(guard, *patience, all_exited);
    else
      shared_->exited.wait(guard, all_exited);
    still_running = shared_->alive;
  }
  for (auto& t : threads_) {
    if (still_running == 0)
      t.join();
    else
      t.detach(); // Holds `shared_` itself; ends when its task returns.
  }
  threads_.clear();
  return still_running;
}

} // namespace troupe::detail
