// Refusing unsafe exposure. The node calls this on every start, so a service
// that embeds a node is held to the same rule as `troupe serve`.
#include "troupe/actors/node/exposure.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "troupe/logging/log.hpp"
#include "troupe/messages/errc.hpp"
#include "troupe/security/credentials.hpp"

namespace troupe {

namespace {

bool is_loopback_v6(const in6_addr& addr) {
  if (std::memcmp(&addr, &in6addr_loopback, sizeof(addr)) == 0)
    return true;
  // ::ffff:127.x.y.z, an IPv4 loopback address written as IPv6.
  static const unsigned char mapped[12] = {0, 0, 0, 0, 0,    0,
                                           0, 0, 0, 0, 0xff, 0xff};
  return std::memcmp(addr.s6_addr, mapped, sizeof(mapped)) == 0 &&
         addr.s6_addr[12] == 127;
}

std::string host_port(const std::string& host, uint16_t port) {
  auto shown = host.find(':') == std::string::npos ? host : "[" + host + "]";
  return shown + ":" + std::to_string(port);
}

} // namespace

bool is_loopback_host(const std::string& host) {
  auto lower = host;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (lower == "localhost" || lower == "localhost.")
    return true;
  in_addr v4;
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1)
    return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6;
  return inet_pton(AF_INET6, host.c_str(), &v6) == 1 && is_loopback_v6(v6);
}

caf::error check_tls_settings(const tls_files& tls) {
  try {
    check_tls_files(tls);
  } catch (const security_error& err) {
    return make_error(errc::invalid_field, err.what());
  }
  return caf::none;
}

caf::error check_exposure(const std::string& host,
                          const security_options& security) {
  if (auto err = check_tls_settings(security.tls))
    return err;
  if (security.tls.enabled() || security.insecure_no_tls ||
      is_loopback_host(host))
    return caf::none;
  return make_error(errc::invalid_field,
                    "listen: " + (host.empty() ? "\"\"" : host) +
                        " is beyond loopback: serve it with TLS (--tls-cert, "
                        "--tls-key, --tls-ca) or pass --insecure-no-tls");
}

void warn_exposure(const std::string& host, uint16_t port,
                   const security_options& security) {
  if (security.tls.enabled() || is_loopback_host(host))
    return;
  log_warn("troupe: WARNING: listening on ", host_port(host, port),
           " without TLS: anyone who reaches this port can run jobs");
}

} // namespace troupe
