// SIGINT and SIGTERM for the long-running commands (serve, worker, node):
// blocked before any thread starts, then taken on the main thread with
// sigwait, so shutdown never runs in a signal handler.
#pragma once

#include <signal.h>

namespace troupe::cli {

/// Blocks SIGINT and SIGTERM in the calling thread (and every thread it
/// starts later) and ignores SIGPIPE; returns the blocked set.
sigset_t block_stop_signals();

/// Waits for a signal of `signals`; returns its number.
int wait_for_stop_signal(const sigset_t& signals);

} // namespace troupe::cli
