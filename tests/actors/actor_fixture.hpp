// Deterministic actor tests: CAF's testing scheduler runs the real scheduler,
// tracker, queue, status reporter and persistence (on a real RocksDB store in
// a temporary directory); a probe executor records what it is dispatched.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/scheduler/test_coordinator.hpp"
#include "caf/scoped_actor.hpp"

#include "tests/temp_dir.hpp"
#include "troupe/actors/queue/queue.hpp"
#include "troupe/actors/scheduler/scheduler.hpp"
#include "troupe/messages/interfaces.hpp"
#include "troupe/storage/job_store.hpp"

namespace troupe::test {

/// What the probe executor was sent.
struct probe_log {
  std::vector<job_dispatch> dispatched;
};

struct actor_fixture {
  actor_fixture();
  ~actor_fixture();

  /// Runs every actor until no message is left.
  void run() { sched->run(); }

  /// Advances the actor clock and runs what became due.
  void advance(std::chrono::milliseconds d);

  /// Submits through the scheduler; returns the id (REQUIREs success).
  std::string submit(job_spec spec);

  /// Submits and returns the error (REQUIREs failure).
  caf::error submit_error(job_spec spec);

  /// Cancels through the scheduler; returns the resulting status or error.
  caf::expected<job_status> cancel(const std::string& id);

  /// Reports (as the executor) that attempt `attempt` of `id` started.
  void report_started(const std::string& id, uint32_t attempt);

  /// Reports (as the executor) the outcome of an attempt.
  void report_finished(const std::string& id, uint32_t attempt, bool ok);

  /// The fence of the dispatch of attempt `attempt` of `id` the probe
  /// received (0 if it received none).
  uint64_t fence_of(const std::string& id, uint32_t attempt) const;

  /// Gives the probe executor slots until the first attempt of `id` is
  /// dispatched to it.
  void dispatch(const std::string& id);

  /// Gives the probe executor `n` more slots.
  void grant(uint32_t n);

  /// The record as stored in RocksDB.
  job_record stored(const std::string& id);

  /// Submits a job of `type` for `owner` without retries and lets its
  /// attempt fail.
  std::string failed_job(const std::string& type, const std::string& owner);

  /// Submits a job and lets its attempt complete.
  std::string completed_job();

  /// Cancel requests the scoped actor (acting as executor) received.
  std::vector<std::pair<std::string, uint32_t>> cancel_requests();

  static job_spec spec(std::string type = "work",
                       std::vector<std::string> deps = {});

  temp_dir dir{"troupe-actor"};
  std::shared_ptr<job_store> store;
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  caf::scheduler::test_coordinator* sched = nullptr;
  std::unique_ptr<caf::scoped_actor> self;
  std::shared_ptr<probe_log> log = std::make_shared<probe_log>();
  persistence_actor persistence;
  status_reporter_actor reporter;
  audit_recorder_actor audit;
  queue_actor queue_handle;
  scheduler_actor scheduler_handle;
  executor_actor probe;
};

} // namespace troupe::test
