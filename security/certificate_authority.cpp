// Creating a cluster's CA and issuing certificates it signs, with OpenSSL's
// X509 API. Keys are written with O_EXCL, so nothing is ever overwritten.
#include "troupe/security/certificate_authority.hpp"

#include <ctime>
#include <filesystem>
#include <vector>

#include <openssl/bn.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "troupe/security/credentials.hpp"
#include "troupe/security/detail/certificate_files.hpp"
#include "troupe/security/detail/openssl_support.hpp"
#include "troupe/security/security_options.hpp"

namespace troupe {

namespace {

using detail::pkey_ptr;
using detail::x509_ptr;

using bignum_ptr =
    std::unique_ptr<BIGNUM, detail::openssl_free<BIGNUM, BN_free>>;

/// What goes into one certificate besides its keys.
struct certificate_fields {
  std::string cn;
  std::string ou;
  int64_t from_s = 0;
  int64_t days = 0;
  /// (NID, value in OpenSSL's extension syntax), added in order.
  std::vector<std::pair<int, std::string>> extensions;
};

[[noreturn]] void fail(const std::string& what) {
  throw security_error(what + ": " + detail::take_openssl_error());
}

pkey_ptr new_p256_key() {
  pkey_ptr key{EVP_EC_gen("P-256")};
  if (!key)
    fail("key: cannot generate an EC P-256 key");
  return key;
}

// A positive, non-zero 128-bit serial number, random so that two
// certificates of one CA never share one.
void set_random_serial(X509* cert) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1)
    fail("serial: OpenSSL's generator failed");
  bytes[0] = static_cast<unsigned char>((bytes[0] & 0x7f) | 0x40);
  bignum_ptr serial{BN_bin2bn(bytes, sizeof(bytes), nullptr)};
  if (!serial || !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert)))
    fail("serial: cannot set");
}

void set_subject(X509* cert, const certificate_fields& fields) {
  auto* name = X509_get_subject_name(cert);
  auto add = [name](const char* key, const std::string& value) {
    auto* bytes = reinterpret_cast<const unsigned char*>(value.c_str());
    if (X509_NAME_add_entry_by_txt(name, key, MBSTRING_UTF8, bytes, -1, -1,
                                   0) != 1)
      fail(std::string{"subject: cannot set "} + key);
  };
  add("CN", fields.cn);
  if (!fields.ou.empty())
    add("OU", fields.ou);
}

void add_extensions(X509* cert, X509* issuer, const certificate_fields& f) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  for (const auto& [nid, value] : f.extensions) {
    auto* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    auto added = ext != nullptr && X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    if (!added)
      fail(std::string{"extension "} + OBJ_nid2sn(nid) + ": cannot add");
  }
}

// Signs a certificate for `key`; `issuer` null makes it self-signed.
x509_ptr make_certificate(const certificate_fields& fields, EVP_PKEY* key,
                          X509* issuer, EVP_PKEY* issuer_key) {
  x509_ptr cert{X509_new()};
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1)
    fail("certificate: cannot create");
  set_random_serial(cert.get());
  set_subject(cert.get(), fields);
  auto* issuer_name = X509_get_subject_name(issuer ? issuer : cert.get());
  auto until = fields.from_s + fields.days * 86400;
  if (X509_set_issuer_name(cert.get(), issuer_name) != 1 ||
      !ASN1_TIME_set(X509_getm_notBefore(cert.get()),
                     static_cast<time_t>(fields.from_s)) ||
      !ASN1_TIME_set(X509_getm_notAfter(cert.get()),
                     static_cast<time_t>(until)) ||
      X509_set_pubkey(cert.get(), key) != 1)
    fail("certificate: cannot set the issuer, validity or key");
  add_extensions(cert.get(), issuer ? issuer : cert.get(), fields);
  if (X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()) <= 0)
    fail("certificate: cannot sign");
  return cert;
}

int64_t now_s() {
  return static_cast<int64_t>(std::time(nullptr));
}

void check_days(int64_t days) {
  if (days < 1 || days > max_certificate_days)
    throw security_error("days: must be between 1 and " +
                         std::to_string(max_certificate_days) + ", got " +
                         std::to_string(days));
}

void check_name(const std::string& name) {
  auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  };
  bool ok = !name.empty() && name.size() <= 64 && allowed(name[0]) &&
            name[0] != '.' && name[0] != '_' && name[0] != '-';
  for (char c : name)
    ok = ok && allowed(c);
  if (!ok)
    throw security_error("name: must be 1 to 64 characters of A-Z, a-z, 0-9, "
                         "'.', '_' and '-' starting with a letter or digit, "
                         "got \"" +
                         name + "\"");
  if (name == "ca")
    throw security_error("name: \"ca\" is taken by the CA's own files");
}

void check_role(const std::string& text) {
  role ignored;
  if (!parse_role(text, ignored))
    throw security_error("role: must be admin, operator, submitter, reader "
                         "or executor, got \"" +
                         text + "\"");
}

} // namespace

issued_files create_authority(const std::string& dir, const std::string& name,
                              int64_t days) {
  if (name.empty() || name.size() > 64)
    throw security_error("name: must be 1 to 64 characters, got " +
                         std::to_string(name.size()));
  check_days(days);
  detail::make_private_directory(dir);
  auto files = detail::files_of(dir, "ca");
  detail::check_absent(files, "dir", "a CA is never overwritten");
  auto key = new_p256_key();
  certificate_fields fields{name, "", now_s() - 60, days, {}};
  fields.extensions = {{NID_basic_constraints, "critical,CA:TRUE"},
                       {NID_key_usage, "critical,keyCertSign,cRLSign"},
                       {NID_subject_key_identifier, "hash"}};
  auto cert = make_certificate(fields, key.get(), nullptr, nullptr);
  detail::write_key_pair(files, detail::certificate_pem(cert.get()),
                         detail::private_key_pem(key.get()), "dir");
  return files;
}

issued_files issue_certificate(const std::string& dir,
                               const certificate_request& request) {
  check_name(request.name);
  check_role(request.role);
  check_days(request.valid_days);
  auto ca = detail::load_authority(dir);
  auto files = detail::files_of(dir, request.name);
  detail::check_absent(files, "name", "a key is never overwritten");
  auto key = new_p256_key();
  auto from = request.valid_from_s != 0 ? request.valid_from_s : now_s() - 60;
  certificate_fields fields{
      request.name, request.role, from, request.valid_days, {}};
  std::string names = "DNS:localhost,IP:127.0.0.1";
  if (request.name != "localhost")
    names += ",DNS:" + request.name;
  fields.extensions = {{NID_basic_constraints, "critical,CA:FALSE"},
                       {NID_key_usage, "critical,digitalSignature"},
                       {NID_ext_key_usage, "serverAuth,clientAuth"},
                       {NID_subject_alt_name, names},
                       {NID_subject_key_identifier, "hash"},
                       {NID_authority_key_identifier, "keyid:always"}};
  auto cert = make_certificate(fields, key.get(), ca.cert.get(), ca.key.get());
  detail::write_key_pair(files, detail::certificate_pem(cert.get()),
                         detail::private_key_pem(key.get()), "name");
  return files;
}

} // namespace troupe
