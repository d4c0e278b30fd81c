// SIGINT and SIGTERM for the long-running commands (serve, worker, node):
// blocked before any thread starts, then taken by a thread of their own with
// sigwait, so shutdown never runs in a signal handler and a signal is heard
// in every phase: while starting, while running and while stopping.
#pragma once

#include <signal.h>

#include <chrono>
#include <memory>
#include <string>

namespace troupe::cli {

/// Blocks SIGINT and SIGTERM in the calling thread (and every thread it
/// starts later) and ignores SIGPIPE; returns the blocked set.
sigset_t block_stop_signals();

/// Waits for a signal of `signals`; returns its number.
int wait_for_stop_signal(const sigset_t& signals);

/// The stop signals of one command. Until `wait` is called (the command is
/// starting: joining, recovering) a signal ends the process at once with
/// exit code 0, since nothing runs yet that a shutdown would save. `wait`
/// returns the first signal after that, and the command shuts down; a
/// further signal while it does ends the process at once (128 + signal).
class stop_signals {
public:
  /// Blocks the signals (call before any thread starts) and starts
  /// watching. `what` names the command in the messages, e.g. "worker".
  explicit stop_signals(std::string what);

  stop_signals(const stop_signals&) = delete;
  stop_signals& operator=(const stop_signals&) = delete;

  /// Marks the command as started: from now on a signal asks it to stop
  /// (the next `wait` returns it) instead of ending the process. Call it
  /// before announcing readiness, so that a stop right after is graceful.
  void started();

  /// Marks the command as started and blocks until a signal arrives;
  /// returns its number, or 0 if `wake` ended the wait first.
  int wait();

  /// Like `wait`, but gives up after `delay` and then returns 0.
  int wait_for(std::chrono::milliseconds delay);

  /// Ends a `wait` without a signal: the command stopped itself and decides
  /// what follows. Callable from any thread.
  void wake();

private:
  struct watch;
  std::shared_ptr<watch> watch_;
};

} // namespace troupe::cli
