// A `troupe worker` child process of the cluster benchmark: started with its
// stdout on a pipe, ready once it printed its first line. Never sleeps.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "caf/expected.hpp"

#include "troupe/security/security_options.hpp"

namespace troupe::bench {

/// Settings of one worker process.
struct worker_settings {
  /// The `troupe` binary to run.
  std::string binary;
  /// "HOST:PORT" of the coordinator to join.
  std::string join;
  /// Name in the worker table and in the records' `node` field.
  std::string name;
  /// Slots of its executor.
  uint32_t slots = 8;
  /// File that receives its stderr (created or truncated).
  std::string log_file;
  /// Its certificate, key and the CA (empty: plain TCP).
  tls_files tls;
};

/// A running `troupe worker`; SIGKILLed on destruction if still running.
class worker_process {
public:
  /// Starts the worker and blocks until its first line of stdout (the
  /// "joined" banner) or until it exits; fails if it exited or did not say
  /// that it joined.
  static caf::expected<worker_process> start(const worker_settings& settings);

  worker_process(worker_process&& other) noexcept;
  worker_process& operator=(worker_process&& other) noexcept;
  worker_process(const worker_process&) = delete;
  worker_process& operator=(const worker_process&) = delete;
  ~worker_process();

  /// The first line the worker printed.
  const std::string& banner() const { return banner_; }

  /// Sends `signal`, reaps the process and returns its exit code (128 +
  /// signal number if it was killed); -1 if it was stopped already.
  int stop(int signal);

private:
  worker_process() = default;

  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  std::string banner_;
};

} // namespace troupe::bench
