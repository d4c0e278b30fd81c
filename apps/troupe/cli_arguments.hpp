// Parsing and checking of command-line values (addresses, durations, JSON
// payloads, ranges). Pure functions: they throw usage errors, never connect.
#pragma once

#include <cstdint>
#include <string>

#include "caf/error.hpp"

#include "troupe/security/security_options.hpp"

namespace troupe::cli {

/// A "HOST:PORT" address of a troupe server, and how a client proves
/// itself there.
struct server_address {
  std::string host = "127.0.0.1";
  uint16_t port = 4242;
  /// The client's certificate, key and the cluster's CA (TLS); empty: the
  /// server's secret.
  tls_files tls;
  /// Where the server's secret is; empty finds it through the pointer the
  /// server left for this user.
  std::string secret_file;

  /// Returns "HOST:PORT" (IPv6 hosts in brackets).
  std::string to_string() const;
};

/// Parses "HOST:PORT" (or "[V6]:PORT") given to `flag`; port 0 only when
/// `allow_any_port`. Throws a usage error naming the flag.
server_address parse_server_address(const std::string& flag,
                                    const std::string& text,
                                    bool allow_any_port = false);

/// Parses a duration such as "500ms", "30s", "15m", "12h" or "7d" given to
/// `flag` into microseconds. Throws a usage error naming the flag.
int64_t parse_duration_us(const std::string& flag, const std::string& text);

/// Reads the JSON given to `flag`: inline text, "@FILE" or "@-" (stdin).
/// Returns it in compact form; throws a usage error if it is not JSON.
std::string read_json_argument(const std::string& flag,
                               const std::string& text);

/// Throws a usage error like "--priority: must be between 1 and 10, got 11"
/// unless `lo <= value <= hi`; `unit` (e.g. "seconds") follows the bounds.
void check_range(const std::string& flag, int64_t value, int64_t lo, int64_t hi,
                 const std::string& unit = "");

/// Throws nothing for no error; otherwise a usage error with the message of
/// `err`, a rule of the job spec, its field named by the flag that sets it
/// ("timeout_s: ..." becomes "--timeout: ...").
void throw_spec_rule(const caf::error& err);

/// Throws a usage error naming `flag` unless `value` is one of `choices`
/// (comma-separated in the message).
void check_choice(const std::string& flag, const std::string& value,
                  const std::string& choices);

/// Throws a usage error unless the TLS files of `tls` are all three given
/// or none ("tls: --tls-cert, --tls-key and --tls-ca go together"), and
/// each one given names a file that can be read (the error names its flag).
void check_tls_flags(const tls_files& tls);

} // namespace troupe::cli
