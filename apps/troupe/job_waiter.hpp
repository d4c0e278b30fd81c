// Waiting for jobs without polling: an actor subscribes to each job, then
// reads its record, and feeds every event to a progress display. Works
// against a local node and against a remote server alike.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/error.hpp"

#include "apps/troupe/progress_display.hpp"
#include "troupe/messages/interfaces.hpp"

namespace troupe::cli {

/// How a wait ended.
struct wait_outcome {
  /// Every job reached a terminal status.
  bool finished = false;
  /// Why waiting stopped early (lost server, unknown job); none when it
  /// finished or timed out.
  caf::error error;
};

/// Called on the waiting actor for every event, before the display sees it;
/// must not block.
using event_observer = std::function<void(const job_event&)>;

/// Where the records and events come from: a local node's status reporter,
/// or a remote server's gateway with the session's token.
struct job_source {
  status_reporter_actor reporter;
  gateway_actor gateway;
  std::string token;
};

/// Blocks until every job in `ids` is terminal, `timeout` passes (0: no
/// limit) or the source is lost. `display` is only used by the waiting
/// actor while this call runs.
wait_outcome wait_for_jobs(caf::actor_system& sys, const job_source& source,
                           const std::vector<std::string>& ids,
                           std::chrono::milliseconds timeout,
                           progress_display& display,
                           event_observer observer = {});

} // namespace troupe::cli
