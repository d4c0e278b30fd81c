// Certificates, challenges and tokens on OpenSSL's library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "troupe/security/security_options.hpp"

namespace troupe {

/// An error about keys, certificates or TLS; its message names the field
/// and the rule.
class security_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Who a verified certificate speaks for.
struct peer_identity {
  std::string principal;
  std::string role;
  int64_t not_after_s = 0;
};

std::string read_pem_file(const std::string& path, const char* field);
void check_tls_files(const tls_files& files);
peer_identity verify_certificate(const std::string& cert_pem,
                                 const std::string& ca_pem);
std::string sign_challenge(const std::string& key_pem,
                           const std::string& challenge);
bool verify_challenge(const std::string& cert_pem, const std::string& challenge,
                      const std::string& signature_hex);
std::string random_token(size_t bytes = 32);
bool equal_in_constant_time(const std::string& a, const std::string& b);

} // namespace troupe
