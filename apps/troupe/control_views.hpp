// Dispatch controls (limits and pauses) as JSON and as text: the one place
// that names their fields, for `troupe limits`, `pause`, `resume`, the serve
// config file and the paused marks of `status` and `list`.
#pragma once

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "troupe/messages/dispatch_limit.hpp"
#include "troupe/messages/job_record.hpp"

namespace troupe::cli {

/// A limit as {"type"|"owner": KEY, "max_running", "rate", "burst"}.
nlohmann::ordered_json limit_to_json(const dispatch_limit& limit);

/// Reads a limit in the form of `limit_to_json` (missing numbers are 0).
/// Returns an error like "limits[1].rate: must be a number", prefixed with
/// `prefix`, or an empty string. Ranges are checked by `validate_limit`.
std::string limit_from_json(const nlohmann::json& object, dispatch_limit& out,
                            const std::string& prefix = "");

/// {"limits": [...], "paused_types": [...], "paused_jobs": [...]}.
nlohmann::ordered_json controls_to_json(const dispatch_controls& controls);

/// A table of limits and the lists of paused types and jobs.
void print_controls(std::ostream& out, const dispatch_controls& controls);

/// Whether `job` waits because of a pause: it has not ended, is not running
/// and its id or type is paused.
bool shown_paused(const dispatch_controls& controls, const job_record& job);

/// The status of `job` for people: "queued", or "queued (paused)".
std::string status_text(const job_record& job,
                        const dispatch_controls* controls);

} // namespace troupe::cli
