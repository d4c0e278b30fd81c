// The supervisor process of one shell attempt: forked by the server, it forks
// the job, is the subreaper of everything the job starts and ends all of it
// when told to or when the server is gone. It never outlives its processes.
#pragma once

#include <sys/types.h>

namespace troupe {

/// What the server tells a supervisor on the control socket (one byte).
enum class supervisor_command : char {
  /// Send SIGTERM to every process of the attempt.
  terminate = 'T',
  /// Send SIGKILL to every process of the attempt.
  kill = 'K',
};

/// The supervisor's report that it started the job's main process: this
/// byte, then its pid as an int. Sent before the report pipe closes.
constexpr char supervisor_job_started = 'P';

/// The supervisor's report that the job's main process ended: this byte,
/// then its wait status as an int.
constexpr char supervisor_job_exited = 'X';

/// Why a job never ran, written by the supervisor or the job to the report
/// pipe as two ints: the stage and errno.
enum class launch_stage : int {
  /// The supervisor could not fork the job: a passing shortage.
  fork = 1,
  /// The job could not enter its working directory.
  chdir = 2,
  /// The program could not be executed.
  exec = 3,
};

/// The file descriptors a supervisor starts with; all others are closed.
struct supervisor_fds {
  /// The job's stdin, stdout and stderr.
  int in = -1;
  int out = -1;
  int err = -1;
  /// The supervisor's end of the control socket; end of file there means
  /// the server is gone.
  int control = -1;
  /// The write end of the report pipe (close-on-exec).
  int report = -1;
};

/// What the job runs, prepared before fork: nothing here allocates.
struct supervisor_job {
  const char* program = nullptr;
  char* const* argv = nullptr;
  char* const* envp = nullptr;
  /// Working directory, or null to keep the server's.
  const char* cwd = nullptr;
};

/// Runs in the child of fork() of a multithreaded server, so it makes
/// async-signal-safe calls only: becomes the subreaper of the attempt, forks
/// and execs the job in a process group of its own, reports its exit, obeys
/// the control socket and exits once no process of the attempt is left. When
/// the server is gone (end of file on the control socket) it kills them all.
[[noreturn]] void run_supervisor(const supervisor_job& job, supervisor_fds fds,
                                 pid_t server);

} // namespace troupe
