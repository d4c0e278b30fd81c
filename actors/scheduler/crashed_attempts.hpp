// How a restart tells a crash from an orderly stop, and counts the attempts
// in a row that were running when the node died, from a job's history alone.
// The history messages written here are the record of it: change none.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "troupe/messages/job_record.hpp"

namespace troupe {

/// Principal of the history note an orderly stop writes for each running
/// attempt.
inline const char* const stop_principal = "node";

/// The note an orderly stop writes for a running attempt.
std::string stop_note(uint32_t attempt);

/// The history message of re-queueing `attempt` at recovery; `crashed` says
/// whether the node died under it or stopped in order.
std::string recovery_note(uint32_t attempt, bool crashed);

/// Attempts in a row, the running one included, that were running when the
/// node died, read from the end of `history` (of a job that is running in
/// the store). 0 if the last attempt was interrupted by an orderly stop.
uint32_t count_crashed_attempts(const std::vector<history_entry>& history);

} // namespace troupe
