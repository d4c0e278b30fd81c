// Processes of shell attempts found by the variables they all inherit: those
// an earlier run of the server left behind, and those of an attempt whose
// supervisor was killed.
#pragma once

#include <string>
#include <vector>

#include <sys/types.h>

namespace troupe {

/// Names of the variables in the environment of every shell job.
constexpr const char* job_id_variable = "TROUPE_JOB_ID";
constexpr const char* job_attempt_variable = "TROUPE_JOB_ATTEMPT";
constexpr const char* store_variable = "TROUPE_STORE";

/// The store whose jobs this process runs, put in every shell job's
/// environment; empty (the default) leaves the variable out.
const std::string& shell_job_store();

/// Sets the store of `shell_job_store`; call before any job runs.
void set_shell_job_store(std::string store);

/// SIGKILLs every process but this one whose environment, as it was when
/// the process started, holds every setting of `settings` ("NAME=value").
/// Returns their pids.
std::vector<pid_t>
kill_processes_with(const std::vector<std::string>& settings);

/// For `troupe serve` before its node starts: names `data_dir` as the store
/// of this process's shell jobs and, unless another process holds the store,
/// kills the processes that shell jobs of an earlier run on it left behind
/// (their server was killed). Returns how many were killed.
size_t end_leftover_shell_jobs(const std::string& data_dir);

} // namespace troupe
