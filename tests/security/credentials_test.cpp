// Verifying certificates against the cluster's CA, checking a node's TLS
// files together, signed challenges and tokens; real OpenSSL.
#include <catch2/catch.hpp>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "tests/security/pki_fixture.hpp"

using namespace troupe;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using troupe::test::pki_fixture;

namespace {

std::string pem_of(BIO* bio) {
  char* data = nullptr;
  auto size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(size));
}

/// A self-signed RSA certificate and its key, as PEM (certificate, key).
std::pair<std::string, std::string> rsa_pair() {
  auto* key = EVP_RSA_gen(2048);
  auto* cert = X509_new();
  X509_set_pubkey(cert, key);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  auto* cn = reinterpret_cast<const unsigned char*>("rsa-user");
  X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC,
                             cn, -1, -1, 0);
  X509_set_issuer_name(cert, X509_get_subject_name(cert));
  REQUIRE(X509_sign(cert, key, EVP_sha256()) > 0);
  auto* cert_bio = BIO_new(BIO_s_mem());
  auto* key_bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(cert_bio, cert);
  PEM_write_bio_PrivateKey(key_bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::pair<std::string, std::string> result{pem_of(cert_bio), pem_of(key_bio)};
  BIO_free(cert_bio);
  BIO_free(key_bio);
  X509_free(cert);
  EVP_PKEY_free(key);
  return result;
}

} // namespace

TEST_CASE_METHOD(pki_fixture,
                 "a certificate of the cluster CA verifies with its principal "
                 "and role",
                 "[security][certificates]") {
  auto files = issue("node-1", "executor");
  auto now = static_cast<int64_t>(std::time(nullptr));
  auto id = verify_certificate(pem(files.cert), pem(ca.cert));
  CHECK(id.principal == "node-1");
  CHECK(id.role == "executor");
  CHECK(id.not_after_s > now + 364 * test::day_s);
  CHECK(id.not_after_s < now + 366 * test::day_s);
}

TEST_CASE_METHOD(pki_fixture,
                 "a certificate of another CA is refused as not signed by "
                 "this cluster's CA",
                 "[security][certificates]") {
  auto files = issue("intruder", "admin", other_dir);
  CHECK_THROWS_WITH(verify_certificate(pem(files.cert), pem(ca.cert)),
                    "certificate: not signed by this cluster's CA");
  // The other CA's own certificate is no better.
  CHECK_THROWS_WITH(verify_certificate(pem(other.cert), pem(ca.cert)),
                    "certificate: not signed by this cluster's CA");
}

TEST_CASE_METHOD(pki_fixture,
                 "an expired certificate is refused with the time it expired",
                 "[security][certificates]") {
  auto files = issue_expired("old");
  CHECK_THROWS_WITH(verify_certificate(pem(files.cert), pem(ca.cert)),
                    StartsWith("certificate: expired on ") && Contains("T") &&
                        Contains("Z"));
}

TEST_CASE_METHOD(pki_fixture,
                 "a certificate not valid yet is refused with its start",
                 "[security][certificates]") {
  certificate_request request;
  request.name = "early";
  request.role = "reader";
  request.valid_from_s = static_cast<int64_t>(std::time(nullptr)) + 10 * 86400;
  auto files = issue_certificate(ca_dir, request);
  CHECK_THROWS_WITH(verify_certificate(pem(files.cert), pem(ca.cert)),
                    StartsWith("certificate: not valid before "));
}

TEST_CASE_METHOD(pki_fixture, "text that is no certificate is refused",
                 "[security][certificates]") {
  CHECK_THROWS_WITH(verify_certificate("hello", pem(ca.cert)),
                    "certificate: not a PEM certificate");
  auto files = issue("n", "reader");
  CHECK_THROWS_WITH(verify_certificate(pem(files.cert), "nope"),
                    "ca: not a PEM certificate");
}

TEST_CASE_METHOD(pki_fixture,
                 "a signed challenge verifies, and a tampered challenge, "
                 "another key or garbage hex do not",
                 "[security][challenge]") {
  auto alice = issue("alice", "submitter");
  auto bob = issue("bob", "submitter");
  auto challenge = random_token();
  auto signature = sign_challenge(pem(alice.key), challenge);
  CHECK(verify_challenge(pem(alice.cert), challenge, signature));
  CHECK_FALSE(verify_challenge(pem(alice.cert), challenge + "x", signature));
  CHECK_FALSE(verify_challenge(pem(bob.cert), challenge, signature));
  CHECK_FALSE(verify_challenge(pem(alice.cert), challenge,
                               sign_challenge(pem(bob.key), challenge)));
  for (const char* garbage : {"", "zz", "abc", "00"})
    CHECK_FALSE(verify_challenge(pem(alice.cert), challenge, garbage));
  CHECK_FALSE(verify_challenge("not a cert", challenge, signature));
  CHECK_THROWS_WITH(sign_challenge("not a key", challenge),
                    StartsWith("key: "));
}

TEST_CASE("an RSA key signs a challenge its certificate verifies",
          "[security][challenge]") {
  auto [cert, key] = rsa_pair();
  auto challenge = random_token();
  auto signature = sign_challenge(key, challenge);
  CHECK(verify_challenge(cert, challenge, signature));
  CHECK_FALSE(verify_challenge(cert, challenge + "x", signature));
}

TEST_CASE("random tokens have the asked size and differ",
          "[security][challenge]") {
  auto a = random_token();
  auto b = random_token();
  CHECK(a.size() == 64);
  CHECK(a != b);
  CHECK(random_token(16).size() == 32);
  CHECK(a.find_first_not_of("0123456789abcdef") == std::string::npos);
}

TEST_CASE("strings compare in constant time as equal or not",
          "[security][challenge]") {
  CHECK(equal_in_constant_time("secret", "secret"));
  CHECK(equal_in_constant_time("", ""));
  CHECK_FALSE(equal_in_constant_time("secret", "secreT"));
  CHECK_FALSE(equal_in_constant_time("secret", "secret2"));
  CHECK_FALSE(equal_in_constant_time("", "x"));
}

TEST_CASE_METHOD(pki_fixture, "the three TLS files of a node pass the check",
                 "[security][tls-files]") {
  auto node = issue("node", "executor");
  CHECK_NOTHROW(check_tls_files(tls_of(node)));
  CHECK_NOTHROW(check_tls_files(tls_files{}));
}

TEST_CASE_METHOD(pki_fixture,
                 "checking the TLS files names the field and the rule",
                 "[security][tls-files]") {
  auto node = issue("node", "executor");
  auto other_node = issue("node2", "executor");
  auto foreign = issue("foreign", "executor", other_dir);
  auto missing = (scratch.path / "missing.pem").string();
  SECTION("one without the others") {
    CHECK_THROWS_WITH(check_tls_files({node.cert, "", ""}),
                      StartsWith("tls: --tls-cert, --tls-key and --tls-ca go "
                                 "together") &&
                          Contains("--tls-key, --tls-ca"));
  }
  SECTION("a file that does not exist") {
    CHECK_THROWS_WITH(check_tls_files({missing, node.key, ca.cert}),
                      "tls-cert: cannot read " + missing +
                          ": No such file or directory");
    CHECK_THROWS_WITH(check_tls_files({node.cert, missing, ca.cert}),
                      StartsWith("tls-key: cannot read " + missing));
    CHECK_THROWS_WITH(check_tls_files({node.cert, node.key, missing}),
                      StartsWith("tls-ca: cannot read " + missing));
  }
  SECTION("files of the wrong kind") {
    CHECK_THROWS_WITH(check_tls_files({node.key, node.key, ca.cert}),
                      "tls-cert: " + node.key + " holds no PEM certificate");
    CHECK_THROWS_WITH(check_tls_files({node.cert, node.cert, ca.cert}),
                      StartsWith("tls-key: " + node.cert + " holds no"));
    CHECK_THROWS_WITH(check_tls_files({node.cert, node.key, ca.key}),
                      StartsWith("tls-ca: " + ca.key + " holds no"));
  }
  SECTION("a key of another certificate") {
    CHECK_THROWS_WITH(check_tls_files({node.cert, other_node.key, ca.cert}),
                      "tls-key: " + other_node.key +
                          " does not match the certificate " + node.cert);
  }
  SECTION("a certificate of another CA") {
    CHECK_THROWS_WITH(check_tls_files({foreign.cert, foreign.key, ca.cert}),
                      StartsWith("tls-cert: " + foreign.cert) &&
                          Contains("not signed by this cluster's CA"));
  }
  SECTION("an expired certificate") {
    auto old = issue_expired("old");
    CHECK_THROWS_WITH(check_tls_files(tls_of(old)),
                      StartsWith("tls-cert: " + old.cert + ": expired on "));
  }
}
