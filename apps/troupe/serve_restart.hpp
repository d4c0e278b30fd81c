// How `troupe serve` starts again after its node stopped itself on a store
// failure: it waits for room on the disk, then replaces itself (exec).
#pragma once

#include <chrono>
#include <cstdint>

namespace troupe {
class node;
} // namespace troupe

namespace troupe::cli {

class stop_signals;

/// Delays between attempts to start again after a store failure, doubling
/// from the first to the last.
constexpr auto first_restart_delay = std::chrono::milliseconds(500);
constexpr auto last_restart_delay = std::chrono::milliseconds(30'000);

/// What the process that replaced itself passed on to this one.
struct restart_handoff {
  /// Whether this process is a restart after a failure.
  bool restarted = false;
  /// The port the earlier process listened on (clients connect there).
  uint16_t port = 0;
  /// The delay before the next try if starting fails again.
  std::chrono::milliseconds delay = first_restart_delay;
};

/// Takes the handoff of an earlier process from the environment and removes
/// it there, so that jobs do not inherit it. Not restarted without one.
restart_handoff take_restart_handoff();

/// After the node stopped itself: stops the actors at once without closing
/// the failed store (clients then cannot connect and exit 3 without
/// waiting), waits with backoff until the file system of `data_dir` has
/// `reserve` bytes free, and replaces the process with a fresh `troupe
/// serve` of the same arguments on the same port, which opens and recovers
/// the store. Returns only if a stop signal came first; throws `cli_error`
/// (exit 3) if the exec fails.
void restart_process(node& server, stop_signals& signals,
                     std::chrono::milliseconds delay);

} // namespace troupe::cli
