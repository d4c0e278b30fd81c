// Proving the holder of a certificate: signed challenges, random tokens and
// comparing secrets without leaking where they differ.
#include "troupe/security/credentials.hpp"

#include <vector>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "troupe/security/detail/openssl_support.hpp"

namespace troupe {

namespace {

const unsigned char* bytes_of(const std::string& x) {
  return reinterpret_cast<const unsigned char*>(x.data());
}

} // namespace

std::string sign_challenge(const std::string& key_pem,
                           const std::string& challenge) {
  auto key = detail::parse_private_key(key_pem);
  if (!key)
    throw security_error("key: not an unencrypted PEM private key");
  detail::md_ctx_ptr ctx{EVP_MD_CTX_new()};
  size_t size = 0;
  if (!ctx ||
      EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr,
                         key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, bytes_of(challenge),
                     challenge.size()) != 1)
    throw security_error("key: cannot sign: " + detail::take_openssl_error());
  std::vector<unsigned char> signature(size);
  if (EVP_DigestSign(ctx.get(), signature.data(), &size, bytes_of(challenge),
                     challenge.size()) != 1)
    throw security_error("key: cannot sign: " + detail::take_openssl_error());
  return detail::to_hex(signature.data(), size);
}

bool verify_challenge(const std::string& cert_pem, const std::string& challenge,
                      const std::string& signature_hex) {
  std::string signature;
  auto cert = detail::parse_certificate(cert_pem);
  if (!cert || signature_hex.empty() ||
      !detail::from_hex(signature_hex, signature))
    return false;
  // get0: the certificate keeps ownership of its public key.
  auto* key = X509_get0_pubkey(cert.get());
  detail::md_ctx_ptr ctx{EVP_MD_CTX_new()};
  auto ok = key != nullptr && ctx &&
            EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr,
                                 key) == 1 &&
            EVP_DigestVerify(ctx.get(), bytes_of(signature), signature.size(),
                             bytes_of(challenge), challenge.size()) == 1;
  // A bad signature leaves errors on the queue; they belong to no one.
  detail::take_openssl_error();
  return ok;
}

std::string random_token(size_t bytes) {
  std::vector<unsigned char> data(bytes);
  if (bytes > 0 && RAND_bytes(data.data(), static_cast<int>(data.size())) != 1)
    throw security_error("random: OpenSSL's generator failed: " +
                         detail::take_openssl_error());
  return detail::to_hex(data.data(), data.size());
}

bool equal_in_constant_time(const std::string& a, const std::string& b) {
  // Lengths are not secret (tokens have a fixed size); contents are.
  return a.size() == b.size() &&
         CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace troupe
