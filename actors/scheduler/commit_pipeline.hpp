// The scheduler's commit pipeline as plain state: tickets, the batches in
// flight in order, the replies each releases on acknowledgement, and drain.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <vector>

#include "caf/error.hpp"
#include "caf/expected.hpp"

#include "troupe/actors/scheduler/scheduler_state.hpp"

namespace troupe {

/// Answers a waiting request once the writes it caused are durable
/// (`caf::none`), or with the error that stopped them.
using delivery = std::function<void(const caf::error&)>;

/// Effects and replies held back until their batch is durable.
struct in_flight_batch {
  uint64_t ticket = 0;
  scheduler_effects effects;
  std::vector<delivery> deliveries;
};

/// Memory never runs ahead of the disk: a batch's effects and replies are
/// released only when persistence acknowledges it, and batches are
/// acknowledged in the order they were sent.
class commit_pipeline {
public:
  /// Holds `d` until the batch being collected now is durable.
  void hold(delivery d);

  /// Notes that a flush is wanted; true if none was scheduled yet (the
  /// caller then schedules one).
  bool request_flush();

  /// Starts a flush: clears the scheduled flag and returns the ticket of the
  /// batch being closed.
  uint64_t take_ticket();

  /// Closes batch `ticket` with its effects. Returns the batch to act on now
  /// when it has nothing to write and nothing is ahead of it; otherwise
  /// keeps it in flight (the caller sends its writes) and returns nothing.
  std::optional<in_flight_batch>
  close(uint64_t ticket, scheduler_effects effects, bool has_writes);

  /// Persistence acknowledged batch `ticket` with `err`. Returns the oldest
  /// batch in flight to release, or an error: `err`, or a storage failure
  /// when `ticket` is not the oldest in flight. On error nothing is removed;
  /// the caller fails everything with fail_all.
  caf::expected<in_flight_batch> acknowledge(uint64_t ticket,
                                             const caf::error& err);

  /// Answers every waiting reply (in flight, collecting, drain) with `err`
  /// and drops the held effects.
  void fail_all(const caf::error& err);

  /// Adds a drain waiter, answered once nothing is in flight or scheduled.
  /// True on the first drain request.
  bool add_drain_waiter(delivery d);

  /// Answers the drain waiters if draining and idle.
  void finish_drain_if_idle();

  /// Whether a drain was requested.
  bool draining() const { return draining_; }

  /// Batches sent to persistence and not yet acknowledged.
  size_t in_flight() const { return in_flight_.size(); }

  /// Ticket the next flush takes.
  uint64_t next_ticket() const { return next_ticket_; }

private:
  uint64_t next_ticket_ = 1;
  bool flush_scheduled_ = false;
  /// Replies waiting for the batch being collected now.
  std::vector<delivery> collecting_;
  /// Batches sent to persistence, oldest first.
  std::deque<in_flight_batch> in_flight_;
  bool draining_ = false;
  std::vector<delivery> drained_;
};

} // namespace troupe
