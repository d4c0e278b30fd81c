// A cluster's certificate authority on disk: creating it and issuing node
// and client certificates signed by it. Never overwrites a key.
#pragma once

#include <cstdint>
#include <string>

namespace troupe {

/// The subject name of a new CA unless one is given.
constexpr const char* default_authority_name = "troupe cluster CA";

/// The days a new CA is valid unless told otherwise.
constexpr int64_t default_authority_days = 3650;

/// The longest validity `create_authority` and `issue_certificate` accept.
constexpr int64_t max_certificate_days = 36500;

/// A node or client certificate to issue.
struct certificate_request {
  /// The subject CN: the principal. 1 to 64 characters of A-Z, a-z, 0-9,
  /// '.', '_' and '-', starting with a letter or digit; also the file name.
  std::string name;
  /// The subject OU: one of the role names of `parse_role`.
  std::string role;
  /// Start of validity in unix seconds. Default: 0 (now - 60 s, for clocks
  /// slightly behind).
  int64_t valid_from_s = 0;
  /// Days of validity from `valid_from_s`. Default: 365.
  int64_t valid_days = 365;
};

/// The paths of a certificate and its private key as written.
struct issued_files {
  /// The PEM certificate (mode 0644).
  std::string cert;
  /// The PEM private key, unencrypted (mode 0600).
  std::string key;
};

/// Creates DIR (mode 0700 if new) with ca.pem and ca.key (0600): an EC P-256
/// self-signed CA (CN=name, basicConstraints CA:TRUE, keyUsage keyCertSign),
/// valid `days`. Throws security_error when DIR/ca.key or DIR/ca.pem already
/// exists (a CA is never overwritten) or on bad input ("name: ...", "days:
/// ...").
issued_files create_authority(const std::string& dir,
                              const std::string& name = default_authority_name,
                              int64_t days = default_authority_days);

/// Issues DIR/NAME.pem and DIR/NAME.key (0600) signed by DIR's CA: EC P-256,
/// CN=name, OU=role, a random 128-bit serial, extendedKeyUsage serverAuth and
/// clientAuth, subjectAltName DNS:localhost, IP:127.0.0.1 and DNS:name.
/// Throws security_error naming the field ("name: ...", "role: must be
/// admin, operator, submitter, reader or executor, got X", "days: ...",
/// "dir: ...") and refuses to overwrite an existing NAME.key or NAME.pem.
issued_files issue_certificate(const std::string& dir,
                               const certificate_request& request);

} // namespace troupe
