// The `shell` job type: runs a command under a supervisor process of its
// own, keeps the tails of its output, and ends every process the command
// started on timeout, cancellation or the server's death. It must never leave
// a process or a zombie behind.
#pragma once

#include "troupe/actors/executor/job_handler.hpp"

namespace troupe {

/// Runs payload `{"argv": [...]}` or `{"cmd": "..."}` (through /bin/sh -c),
/// with optional `"cwd"` and `"env"` (object of extra variables). Returns
/// `{exit_code, stdout_tail, stderr_tail}` (last 4 KiB of each); a non-zero
/// exit fails the attempt with the exit code and the stderr tail.
job_result run_shell_job(job_context& ctx);

/// Makes this process the reaper of its orphaned descendants (Linux
/// PR_SET_CHILD_SUBREAPER), so what an attempt whose supervisor was killed
/// leaves behind is reaped here rather than left as zombies. Call once in a
/// process that runs shell jobs, before starting any.
void adopt_orphaned_processes();

} // namespace troupe
