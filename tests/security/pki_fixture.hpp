// A cluster CA in a scratch directory and the certificates the security
// tests issue from it; real OpenSSL, real files.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>

#include "tests/temp_dir.hpp"
#include "troupe/security/certificate_authority.hpp"
#include "troupe/security/credentials.hpp"
#include "troupe/security/security_options.hpp"

namespace troupe::test {

/// Seconds in a day, for validity windows.
constexpr int64_t day_s = 86400;

/// A scratch directory holding the CA "ca" and one "other" CA.
struct pki_fixture {
  temp_dir scratch{"troupe-security"};
  /// Our cluster's CA directory.
  std::string ca_dir = (scratch.path / "ca").string();
  /// A CA of another cluster.
  std::string other_dir = (scratch.path / "other").string();
  issued_files ca = create_authority(ca_dir);
  issued_files other = create_authority(other_dir, "another cluster CA");

  /// Issues NAME with ROLE from our CA (or `dir`'s).
  issued_files issue(const std::string& name, const std::string& role,
                     const std::string& dir = {}) {
    certificate_request request;
    request.name = name;
    request.role = role;
    return issue_certificate(dir.empty() ? ca_dir : dir, request);
  }

  /// A certificate of our CA that expired 399 days ago.
  issued_files issue_expired(const std::string& name) {
    certificate_request request;
    request.name = name;
    request.role = "reader";
    request.valid_from_s =
        static_cast<int64_t>(std::time(nullptr)) - 400 * day_s;
    request.valid_days = 1;
    return issue_certificate(ca_dir, request);
  }

  /// The TLS files of `files` trusting our CA.
  tls_files tls_of(const issued_files& files) const {
    return {files.cert, files.key, ca.cert};
  }

  /// The whole text of `path`.
  static std::string pem(const std::string& path) {
    return read_pem_file(path, "test");
  }
};

} // namespace troupe::test
