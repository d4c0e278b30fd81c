// Interim: tokens only; certificates arrive with troupe certs.
#include "troupe/security/credentials.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

namespace troupe {

std::string random_token(size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()),
                 static_cast<int>(bytes)) != 1)
    throw security_error("token: the random number generator failed");
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : raw) {
    hex += digits[c >> 4];
    hex += digits[c & 15];
  }
  return hex;
}

bool equal_in_constant_time(const std::string& a, const std::string& b) {
  return a.size() == b.size() &&
         CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string read_pem_file(const std::string&, const char* field) {
  throw security_error(std::string{field} + ": certificates not built yet");
}
void check_tls_files(const tls_files& files) {
  if (files.enabled())
    throw security_error("tls: certificates not built yet");
}
peer_identity verify_certificate(const std::string&, const std::string&) {
  throw security_error("certificate: not built yet");
}
std::string sign_challenge(const std::string&, const std::string&) {
  throw security_error("key: not built yet");
}
bool verify_challenge(const std::string&, const std::string&,
                      const std::string&) {
  return false;
}

} // namespace troupe
