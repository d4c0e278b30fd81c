// The rule that keeps a node without TLS off the network: what counts as
// loopback, the refusal of anything beyond it, and the warning when an
// operator insisted (`insecure_no_tls`).
#pragma once

#include <cstdint>
#include <string>

#include "caf/error.hpp"

#include "troupe/security/security_options.hpp"

namespace troupe {

/// True for hosts only this machine reaches: 127.0.0.0/8, ::1 (also as
/// ::ffff:127.x.y.z) and "localhost". Any other name or address, the
/// wildcards 0.0.0.0 and :: included, is beyond loopback.
bool is_loopback_host(const std::string& host);

/// `errc::invalid_field` naming the file and the rule unless none of the
/// three files of `tls` is set, or all are readable, the key matches the
/// certificate and the certificate is signed by the CA and valid now.
caf::error check_tls_settings(const tls_files& tls);

/// Checks the security of a node that listens on `host`: the TLS files go
/// together, and a host beyond loopback is served with TLS unless
/// `insecure_no_tls` is set; `errc::invalid_field` naming the rule
/// otherwise.
caf::error check_exposure(const std::string& host,
                          const security_options& security);

/// Logs the warning of a node that listens on `host:port` beyond loopback
/// without TLS (allowed by `insecure_no_tls`); logs nothing otherwise.
void warn_exposure(const std::string& host, uint16_t port,
                   const security_options& security);

} // namespace troupe
