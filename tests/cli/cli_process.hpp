// Real processes for the CLI tests: the troupe binary run to completion with
// its output captured, and a `troupe serve` process on a free loopback port.
// Tests wait on pipes and waitpid only, never with sleeps.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/temp_dir.hpp"

namespace troupe::cli_test {

using json = nlohmann::json;

/// A temporary directory, removed at the end of the test.
struct scratch_dir : test::temp_dir {
  scratch_dir() : temp_dir("troupe-cli") {
    // nop
  }

  /// `path / name` as a string.
  std::string operator/(const std::string& name) const {
    return (path / name).string();
  }
};

/// What a finished troupe process printed and returned.
struct run_result {
  /// The exit code, or 128 + signal number if it was killed.
  int exit_code = -1;
  std::string out;
  std::string err;

  /// Parses stdout as one JSON document (fails the test if it is not).
  json parsed() const;
};

/// Runs the troupe binary with `args` and `env` (NAME=VALUE, added to an
/// environment without TROUPE_SERVER); returns once it exited.
run_result run_troupe(const std::vector<std::string>& args,
                      const std::vector<std::string>& env = {});

/// A troupe process in the background (optionally run through `wrapper`,
/// e.g. `ip netns exec NAME`), ready once it printed its first line.
class background_process {
public:
  /// Starts `troupe ARGS` and blocks until its first line of stdout.
  explicit background_process(const std::vector<std::string>& args,
                              const std::vector<std::string>& wrapper = {});

  /// Kills the process if it still runs.
  ~background_process();

  background_process(const background_process&) = delete;
  background_process& operator=(const background_process&) = delete;

  /// The first line the process printed.
  const std::string& banner() const { return banner_; }

  /// The port in a banner ending in "HOST:PORT ..." after `marker`.
  uint16_t port_after(const std::string& marker) const;

  /// Reads the output line by line until one contains `needle`; returns
  /// that line (fails the test if the process exits first).
  std::string wait_for_output(const std::string& needle);

  /// Sends `signal` and returns the exit code (128 + signal if killed).
  int stop(int signal);

  pid_t pid() const { return pid_; }

private:
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  std::string banner_;
};

/// Runs `troupe ARGS` through `wrapper` (e.g. `ip netns exec NAME`).
run_result run_wrapped_troupe(const std::vector<std::string>& wrapper,
                              const std::vector<std::string>& args,
                              const std::vector<std::string>& env = {});

/// Runs `BINARY ARGS` (the troupe binary if `binary` is empty) through
/// `wrapper`; returns once it exited.
run_result run_program(const std::string& binary,
                       const std::vector<std::string>& args,
                       const std::vector<std::string>& env = {},
                       const std::vector<std::string>& wrapper = {});

/// A running `troupe serve --listen 127.0.0.1:0`.
class server_process {
public:
  /// Starts the server on `data_dir` (none: no --data flag) and reads its
  /// port from the first line of its stdout. `port` 0 picks a free one.
  explicit server_process(const std::string& data_dir,
                          const std::vector<std::string>& extra_args = {},
                          uint16_t port = 0);

  /// "127.0.0.1:PORT".
  std::string address() const;

  uint16_t port() const { return port_; }

  /// The first line the server printed.
  const std::string& banner() const { return process_->banner(); }

  /// Reads the server's output until a line contains `needle`.
  std::string wait_for_output(const std::string& needle) {
    return process_->wait_for_output(needle);
  }

  /// Sends `signal` and returns the exit code (128 + signal if killed).
  int stop(int signal) { return process_->stop(signal); }

  /// The server's process id.
  pid_t pid() const { return process_->pid(); }

private:
  std::unique_ptr<background_process> process_;
  uint16_t port_ = 0;
};

/// Writes a server config that turns the shell job type on (`"job_types":
/// {"shell": true}`) to `dir / "shell.json"`; returns `--config FILE`.
std::vector<std::string> shell_config_args(const scratch_dir& dir);

/// A server on a scratch directory and helpers to drive it with the CLI.
struct cli_fixture {
  scratch_dir dir;
  std::unique_ptr<server_process> server;
  /// Passed to every start of the server before the extra arguments.
  std::vector<std::string> server_args;

  cli_fixture();

  /// Starts no server when `start` is false (a derived fixture starts it).
  explicit cli_fixture(bool start);

  /// (Re)starts the server on `dir / "data"` with `server_args` and
  /// `extra_args`.
  void start_server(const std::vector<std::string>& extra_args = {});

  /// Runs `troupe ARGS --server ADDRESS`.
  run_result troupe(std::vector<std::string> args) const;

  /// Submits with `submit ARGS`; requires success; returns the job id.
  std::string submit(std::vector<std::string> args) const;

  /// `status ID --json`, parsed.
  json status(const std::string& id) const;

  /// `list ARGS --json`, parsed.
  json list(std::vector<std::string> args = {}) const;
};

/// A `cli_fixture` whose server runs shell jobs (its config turns them on).
struct shell_fixture : cli_fixture {
  shell_fixture();
};

/// Returns the ids of a `list --json` result, in order.
std::vector<std::string> ids_of(const json& jobs);

} // namespace troupe::cli_test
