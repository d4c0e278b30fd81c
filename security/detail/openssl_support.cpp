// Owning handles, PEM parsing, hex, time and error text shared by the
// security library's OpenSSL code.
#include "troupe/security/detail/openssl_support.hpp"

#include <ctime>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

namespace troupe::detail {

namespace {

using store_ptr =
    std::unique_ptr<X509_STORE, openssl_free<X509_STORE, X509_STORE_free>>;
using store_ctx_ptr =
    std::unique_ptr<X509_STORE_CTX,
                    openssl_free<X509_STORE_CTX, X509_STORE_CTX_free>>;

// An encrypted key must fail to load, never make OpenSSL prompt on the
// terminal of a server.
int no_passphrase(char*, int, int, void*) {
  return 0;
}

bio_ptr memory_bio(const std::string& text) {
  return bio_ptr{BIO_new_mem_buf(text.data(), static_cast<int>(text.size()))};
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  auto size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size))
                  : std::string{};
}

std::string name_entry(X509* cert, int nid) {
  auto* name = X509_get_subject_name(cert);
  auto index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0)
    return {};
  auto* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  auto size = ASN1_STRING_to_UTF8(&utf8, data);
  if (size < 0)
    return {};
  std::string result(reinterpret_cast<char*>(utf8), static_cast<size_t>(size));
  OPENSSL_free(utf8);
  return result;
}

// The rule `code` broke, said of the certificate that broke it.
std::string verify_failure(int code, X509* failed, int depth) {
  std::string who = depth > 0 ? "the cluster's CA " : "";
  switch (code) {
  case X509_V_ERR_CERT_HAS_EXPIRED:
    return who + "expired on " +
           rfc3339(unix_seconds(X509_get0_notAfter(failed)));
  case X509_V_ERR_CERT_NOT_YET_VALID:
    return who + "not valid before " +
           rfc3339(unix_seconds(X509_get0_notBefore(failed)));
  case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
  case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
  case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
  case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
  case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
  case X509_V_ERR_CERT_SIGNATURE_FAILURE:
    return "not signed by this cluster's CA";
  default:
    return who + X509_verify_cert_error_string(code);
  }
}

} // namespace

x509_ptr parse_certificate(const std::string& pem) {
  auto bio = memory_bio(pem);
  x509_ptr result{
      bio ? PEM_read_bio_X509(bio.get(), nullptr, no_passphrase, nullptr)
          : nullptr};
  ERR_clear_error();
  return result;
}

pkey_ptr parse_private_key(const std::string& pem) {
  auto bio = memory_bio(pem);
  pkey_ptr result{
      bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr)
          : nullptr};
  ERR_clear_error();
  return result;
}

std::string certificate_pem(X509* cert) {
  bio_ptr bio{BIO_new(BIO_s_mem())};
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1)
    throw security_error("certificate: cannot encode as PEM: " +
                         take_openssl_error());
  return bio_text(bio.get());
}

std::string private_key_pem(EVP_PKEY* key) {
  bio_ptr bio{BIO_new(BIO_s_mem())};
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0,
                                       nullptr, nullptr) != 1)
    throw security_error("key: cannot encode as PEM: " + take_openssl_error());
  return bio_text(bio.get());
}

std::string verify_against(X509* cert, X509* ca) {
  store_ptr store{X509_STORE_new()};
  store_ctx_ptr ctx{X509_STORE_CTX_new()};
  if (!store || !ctx || X509_STORE_add_cert(store.get(), ca) != 1 ||
      X509_STORE_CTX_init(ctx.get(), store.get(), cert, nullptr) != 1)
    return "cannot be verified: " + take_openssl_error();
  auto ok = X509_verify_cert(ctx.get()) == 1;
  ERR_clear_error();
  if (ok)
    return {};
  auto* failed = X509_STORE_CTX_get_current_cert(ctx.get());
  return verify_failure(X509_STORE_CTX_get_error(ctx.get()),
                        failed ? failed : cert,
                        X509_STORE_CTX_get_error_depth(ctx.get()));
}

peer_identity identity_of(X509* cert, const char* field) {
  peer_identity result;
  result.principal = name_entry(cert, NID_commonName);
  if (result.principal.empty())
    throw security_error(std::string{field} + ": has no subject CN");
  result.role = name_entry(cert, NID_organizationalUnitName);
  result.not_after_s = unix_seconds(X509_get0_notAfter(cert));
  return result;
}

int64_t unix_seconds(const ASN1_TIME* t) {
  std::tm parts{};
  if (t == nullptr || ASN1_TIME_to_tm(t, &parts) != 1)
    return 0;
  return static_cast<int64_t>(timegm(&parts));
}

std::string rfc3339(int64_t seconds) {
  auto t = static_cast<std::time_t>(seconds);
  std::tm parts{};
  gmtime_r(&t, &parts);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

std::string to_hex(const unsigned char* data, size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string result;
  result.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    result += digits[data[i] >> 4];
    result += digits[data[i] & 0x0f];
  }
  return result;
}

bool from_hex(const std::string& hex, std::string& out) {
  auto value = [](char c) {
    if (c >= '0' && c <= '9')
      return c - '0';
    if (c >= 'a' && c <= 'f')
      return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
      return c - 'A' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0)
    return false;
  out.clear();
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    auto high = value(hex[i]);
    auto low = value(hex[i + 1]);
    if (high < 0 || low < 0)
      return false;
    out += static_cast<char>(high * 16 + low);
  }
  return true;
}

std::string take_openssl_error() {
  auto code = ERR_get_error();
  ERR_clear_error();
  if (code == 0)
    return {};
  // The reason alone ("certificate verify failed") reads as a sentence; the
  // full form only when OpenSSL has no text for it.
  if (const char* reason = ERR_reason_error_string(code))
    return reason;
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  return text;
}

} // namespace troupe::detail
