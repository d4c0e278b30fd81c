// Checks on what other nodes send: executor registrations and settings,
// demand, progress and outcomes. Pure functions; a message that fails one is
// refused with an error naming the field and the rule, and changes nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "caf/error.hpp"

#include "troupe/messages/cluster.hpp"
#include "troupe/messages/job_dispatch.hpp"
#include "troupe/messages/statistics.hpp"

namespace troupe {

struct coordinator_peers;

/// Bounds on input from remote nodes; every default is stated here.
struct remote_input_limits {
  /// Slots of one executor. Default: 1–1024.
  static constexpr uint32_t max_slots = 1024;
  /// Attempts one executor may hold waiting for a free slot. Default: 1024.
  static constexpr uint32_t max_waiting = 1024;
  /// Credits one executor may hold: its slots and its waiting attempts.
  /// Default: 2048.
  static constexpr uint32_t max_credits = max_slots + max_waiting;
  /// Longest executor or node name in bytes. Default: 256.
  static constexpr size_t max_name_bytes = 256;
  /// Most job types one executor advertises. Default: 1024.
  static constexpr size_t max_types = 1024;
  /// Longest progress message in bytes. Default: 4 KiB.
  static constexpr size_t max_progress_message_bytes = 4096;
  /// Largest result of one attempt in bytes. Default: 8 MiB.
  static constexpr size_t max_result_bytes = 8 * 1024 * 1024;
  /// Longest error text of one attempt in bytes. Default: 64 KiB.
  static constexpr size_t max_error_bytes = 64 * 1024;
};

/// Longest session token in bytes.
constexpr size_t max_token_bytes = 128;

/// Checks what an executor registers or reports in a heartbeat: names,
/// slots 1–1024, at most 1024 valid type names, at most `slots` running ids.
caf::error check_executor_info(const executor_info& info);

/// Checks what a coordinator asks a bare node to spawn: slots 1–1024, the
/// name and the types.
caf::error check_executor_settings(const executor_settings& settings);

/// Checks a demand: at most `max_credits` credits, at most `max_waiting`
/// waiting, and at most 1024 valid type names.
caf::error check_demand(const std::vector<std::string>& types, uint32_t credits,
                        uint32_t waiting);

/// Checks a progress report: a job id, a finite fraction in [0, 1] and a
/// message of at most 4 KiB.
caf::error check_progress(const std::string& id, double fraction,
                          const std::string& message);

/// Checks a started report: a job id, and executor and node names of at
/// most 256 bytes.
caf::error check_started(const std::string& id, const std::string& executor,
                         const std::string& node);

/// Checks an attempt's outcome: a job id, names, a result of at most 8 MiB
/// and an error text of at most 64 KiB.
caf::error check_outcome(const attempt_outcome& outcome);

/// Checks what a gateway hands an executor: an uplink (a null handle would
/// be monitored or sent to later) and a token.
caf::error check_peers(const coordinator_peers& peers);

/// Prints that a message from another node was refused, and why.
void report_refused(const char* what, const caf::error& reason);

} // namespace troupe
