// Fail-stop of an embedded node: a watchdog monitors the scheduler and
// persistence, and records the error with which either stopped itself (a
// failed store write); the node reports it and the service decides.
#include <mutex>
#include <vector>

#include "caf/event_based_actor.hpp"
#include "caf/exit_reason.hpp"

#include "troupe/actors/node/node.hpp"

namespace troupe {

/// The first error that stopped a part of the node, shared with the
/// watchdog.
struct node_failure {
  mutable std::mutex mutex;
  caf::error error;
  std::function<void(const caf::error&)> on_failure;
};

namespace {

caf::behavior watchdog(caf::event_based_actor* self,
                       std::shared_ptr<node_failure> failure,
                       const scheduler_actor& scheduler,
                       const persistence_actor& persistence) {
  self->monitor(scheduler);
  self->monitor(persistence);
  self->set_down_handler([failure](caf::down_msg& msg) {
    // The node stops them with user_shutdown; anything else is a failure.
    if (!msg.reason || msg.reason == caf::exit_reason::user_shutdown)
      return;
    std::function<void(const caf::error&)> notify;
    {
      std::lock_guard<std::mutex> guard{failure->mutex};
      if (failure->error)
        return;
      failure->error = msg.reason;
      notify = failure->on_failure;
    }
    if (notify)
      notify(msg.reason);
  });
  return {[](ok_atom) {}}; // Lives on its down handler alone.
}

} // namespace

void node::watch_for_failure() {
  failure_ = std::make_shared<node_failure>();
  failure_->on_failure = options_.on_failure;
  watchdog_ = system_->spawn(watchdog, failure_, scheduler_, persistence_);
}

caf::error node::failure() const {
  if (!failure_)
    return caf::none;
  std::lock_guard<std::mutex> guard{failure_->mutex};
  return failure_->error;
}

caf::error node::resume_store() {
  if (!store_)
    return caf::none;
  if (auto err = store_->resume())
    return err;
  return store_->check_room();
}

void node::abandon() {
  // Reachable until the process ends and never destroyed (a static would be
  // destroyed at exit, closing the store after all).
  static auto* abandoned = new std::vector<std::shared_ptr<job_store>>;
  if (store_)
    abandoned->push_back(store_);
  shutdown();
}

caf::error node::restart() {
  // Closing a RocksDB that failed a write, and opening it again at once, is
  // where RocksDB is most fragile; the open store carries over instead.
  kept_store_ = store_;
  if (port_ != 0) // Where clients already connect, also after port 0.
    options_.listen_port = port_;
  shutdown();
  auto err = start();
  kept_store_ = nullptr;
  return err;
}

} // namespace troupe
