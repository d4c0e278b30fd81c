// How a caller proves who it is to a gateway, and what it gets back: the
// vocabulary of troupe's sessions. No behaviour.
#pragma once

#include <string>
#include <vector>

#include "caf/meta/type_name.hpp"

namespace troupe {

/// What a caller presents to log in. With `method` "secret": the secret a
/// coordinator wrote into its data directory (loopback clients of the same
/// user). With "certificate": a certificate of the cluster's CA and the
/// signature, by its key, of the challenge the gateway handed out.
struct credentials {
  std::string method;
  std::string secret;
  /// PEM.
  std::string certificate;
  std::string challenge;
  /// Hex.
  std::string signature;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, credentials& x) {
  return f(caf::meta::type_name("troupe::credentials"), x.method, x.secret,
           x.certificate, x.challenge, x.signature);
}

/// A session: the unguessable token every later request carries, and who
/// it speaks for.
struct session_grant {
  std::string token;
  std::string principal;
  /// Role names ("admin", "operator", ...).
  std::vector<std::string> roles;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_grant& x) {
  return f(caf::meta::type_name("troupe::session_grant"), x.token, x.principal,
           x.roles);
}

} // namespace troupe
