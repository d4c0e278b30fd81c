// Checking keys and certificates: the TLS files of a node, a peer's
// certificate against the cluster's CA, signed challenges and tokens.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "troupe/security/security_options.hpp"

namespace troupe {

/// An error about keys, certificates or TLS; its message names the field
/// (e.g. "tls-cert") and the rule.
class security_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Who a verified certificate speaks for.
struct peer_identity {
  /// The subject's common name (CN): the principal.
  std::string principal;
  /// The subject's organizational unit (OU); may be empty.
  std::string role;
  /// The end of the certificate's validity, in unix seconds.
  int64_t not_after_s = 0;
};

/// Reads a whole PEM file; throws security_error "FIELD: cannot read PATH:
/// <strerror>".
std::string read_pem_file(const std::string& path, const char* field);

/// Checks the three files of mutual TLS together: all three or none, each
/// readable and parseable, the key matches the certificate, the certificate
/// is signed by the CA and valid now. Throws security_error naming tls-cert,
/// tls-key or tls-ca and the rule. Does nothing when none is set.
void check_tls_files(const tls_files& files);

/// Verifies `cert_pem` against the CA certificate `ca_pem` (chain,
/// signature, validity at now); returns the identity. Throws security_error
/// ("certificate: not signed by this cluster's CA", "certificate: expired
/// on <RFC 3339>", "certificate: not valid before ...", "certificate: has
/// no subject CN", ...).
peer_identity verify_certificate(const std::string& cert_pem,
                                 const std::string& ca_pem);

/// Signs `challenge` with the private key in PEM `key_pem` (EC or RSA,
/// SHA-256); returns the signature hex-encoded. Throws security_error
/// "key: ..." if `key_pem` holds no private key.
std::string sign_challenge(const std::string& key_pem,
                           const std::string& challenge);

/// True if `signature_hex` is a valid signature of `challenge` by the
/// public key of `cert_pem`. Never throws on bad input (returns false).
bool verify_challenge(const std::string& cert_pem, const std::string& challenge,
                      const std::string& signature_hex);

/// `bytes` random bytes from OpenSSL's RNG, hex-encoded; throws
/// security_error if the RNG fails.
std::string random_token(size_t bytes = 32);

/// Compares two strings in constant time for equal lengths (for tokens and
/// secrets); strings of different lengths are unequal.
bool equal_in_constant_time(const std::string& a, const std::string& b);

} // namespace troupe
