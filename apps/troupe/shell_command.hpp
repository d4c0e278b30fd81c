// What a `shell` job runs, read from its payload: argv (or a /bin/sh -c
// command), working directory and environment. Reads and checks only; the
// process handling lives in shell_job.cpp.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace troupe {

/// A command ready to exec.
struct shell_command {
  /// Arguments; argv[0] as given.
  std::vector<std::string> argv;
  /// The resolved program path passed to execve.
  std::string program;
  /// Working directory; empty keeps the server's.
  std::string cwd;
  /// The complete environment ("NAME=value"): the server's plus `env`.
  std::vector<std::string> environment;
};

/// Reads `{"argv": [...]}` or `{"cmd": "..."}` with optional `"cwd"` and
/// `"env"` and resolves the program in the job's PATH. Returns an error
/// naming the payload field, or an empty string.
std::string parse_shell_command(const nlohmann::json& payload,
                                shell_command& out);

/// Checks the shape of a shell payload at submission: what
/// `parse_shell_command` checks except what depends on the host that runs it
/// (the directory and the program). Returns an error naming the payload field,
/// or an empty string.
std::string check_shell_payload(const nlohmann::json& payload);

/// The last `tail_bytes` of `data` (cut at a character boundary), with bytes
/// that are not UTF-8 replaced by '?', because results and errors travel as
/// JSON.
std::string utf8_tail(const std::string& data, size_t tail_bytes);

} // namespace troupe
