// Internal to troupe_security: owning handles for OpenSSL objects, PEM
// parsing that never prompts for a passphrase, hex, time and error text.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "troupe/security/credentials.hpp"

namespace troupe::detail {

/// Calls an OpenSSL free function as a unique_ptr deleter.
template <class T, void (*Free)(T*)>
struct openssl_free {
  void operator()(T* x) const { Free(x); }
};

using x509_ptr = std::unique_ptr<X509, openssl_free<X509, X509_free>>;
using pkey_ptr =
    std::unique_ptr<EVP_PKEY, openssl_free<EVP_PKEY, EVP_PKEY_free>>;
using bio_ptr = std::unique_ptr<BIO, openssl_free<BIO, BIO_free_all>>;
using md_ctx_ptr =
    std::unique_ptr<EVP_MD_CTX, openssl_free<EVP_MD_CTX, EVP_MD_CTX_free>>;

/// The first certificate in `pem`; null if there is none.
x509_ptr parse_certificate(const std::string& pem);

/// The private key in `pem` (unencrypted PEM); null if there is none.
pkey_ptr parse_private_key(const std::string& pem);

/// `cert` as PEM text.
std::string certificate_pem(X509* cert);

/// `key` as unencrypted PKCS#8 PEM text.
std::string private_key_pem(EVP_PKEY* key);

/// Checks `cert` against the single trusted certificate `ca` at now;
/// returns the broken rule ("not signed by this cluster's CA", "expired on
/// ...") or an empty string if the certificate is valid.
std::string verify_against(X509* cert, X509* ca);

/// The identity `cert` speaks for; throws security_error "FIELD: has no
/// subject CN" when it names no principal.
peer_identity identity_of(X509* cert, const char* field);

/// `t` as unix seconds; 0 if it cannot be read.
int64_t unix_seconds(const ASN1_TIME* t);

/// `seconds` since the epoch as RFC 3339 in UTC ("2026-01-02T03:04:05Z").
std::string rfc3339(int64_t seconds);

/// Lower-case hex of `size` bytes at `data`.
std::string to_hex(const unsigned char* data, size_t size);

/// Decodes hex (either case) into `out`; false on odd length or a non-hex
/// character.
bool from_hex(const std::string& hex, std::string& out);

/// The oldest error on OpenSSL's queue as text (empty if none); clears the
/// queue so the next call starts clean.
std::string take_openssl_error();

} // namespace troupe::detail
