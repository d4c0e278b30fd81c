// The job types every troupe server offers: noop, sleep, echo, fail, and
// shell where the config turns it on. Worker nodes register the same set, so
// a job runs the same everywhere.
#pragma once

#include <string>
#include <vector>

#include "troupe/actors/executor/job_handler.hpp"

namespace troupe {

class node;

/// `sleep` `{"ms": N}`: sleeps in small steps, honouring cancellation, and
/// reports progress; returns `{"slept_ms": N}`.
job_result run_sleep_job(job_context& ctx);

/// The submission check of `sleep`: `ms` must be a non-negative integer.
std::string check_sleep_payload(const nlohmann::json& payload);

/// `fail` `{"message": "..."}`: fails every attempt with the message.
job_result run_fail_job(job_context& ctx);

/// Why a server refuses shell jobs unless its config turns them on.
extern const char* const shell_off_reason;

/// Registers noop, sleep, echo and fail on `n` (before `start`), and shell
/// when `with_shell`; otherwise `n` refuses shell submissions with
/// `shell_off_reason` and runs no shell dispatch.
void register_builtin_jobs(node& n, bool with_shell);

/// The names of the built-in job types.
std::vector<std::string> builtin_job_types();

} // namespace troupe
