// The troupe command's exit codes and the one exception that carries a
// message and an exit code up to main; commands never call exit themselves.
#pragma once

#include <stdexcept>
#include <string>

namespace troupe::cli {

/// Exit codes of every troupe command.
enum exit_code : int {
  /// Success.
  exit_ok = 0,
  /// A waited job ended failed or cancelled (or did not end in time).
  exit_job_failed = 1,
  /// Bad usage or input: unknown flag, invalid value, unknown job.
  exit_usage = 2,
  /// The server cannot be reached or cannot serve the request.
  exit_unreachable = 3,
  /// The server refused the caller: no proven principal, or one without
  /// the role or ownership the request needs.
  exit_forbidden = 4,
};

/// An error that main reports as "troupe: <what>" before exiting with
/// `code()`.
class cli_error : public std::runtime_error {
public:
  cli_error(int code, const std::string& message)
      : std::runtime_error(message), code_(code) {
    // nop
  }

  /// The exit code of the program.
  int code() const { return code_; }

private:
  int code_;
};

/// A usage or validation error (exit code 2).
inline cli_error usage_error(const std::string& message) {
  return cli_error{exit_usage, message};
}

} // namespace troupe::cli
