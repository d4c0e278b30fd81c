// Creating a cluster CA and issuing certificates: the files, their modes,
// what the certificates say, and the refusals of bad input and overwrites.
#include <sys/stat.h>

#include <filesystem>

#include <catch2/catch.hpp>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "tests/security/pki_fixture.hpp"

using namespace troupe;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using troupe::test::pki_fixture;

namespace {

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

struct parsed_cert {
  X509* cert = nullptr;

  explicit parsed_cert(const std::string& pem) {
    auto* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    REQUIRE(cert != nullptr);
  }

  ~parsed_cert() { X509_free(cert); }
};

} // namespace

TEST_CASE_METHOD(pki_fixture,
                 "a new CA has a 0600 key in a 0700 directory and is never "
                 "overwritten",
                 "[security][authority]") {
  CHECK(ca.cert == ca_dir + "/ca.pem");
  CHECK(ca.key == ca_dir + "/ca.key");
  CHECK(mode_of(ca_dir) == 0700);
  CHECK(mode_of(ca.key) == 0600);
  auto before = pem(ca.key);
  CHECK_THROWS_WITH(create_authority(ca_dir),
                    "dir: " + ca.key +
                        " already exists (a CA is never overwritten)");
  CHECK(pem(ca.key) == before);
  parsed_cert cert{pem(ca.cert)};
  CHECK(X509_check_ca(cert.cert) == 1);
  auto id = verify_certificate(pem(ca.cert), pem(ca.cert));
  CHECK(id.principal == "troupe cluster CA");
}

TEST_CASE_METHOD(pki_fixture,
                 "an issued certificate serves both ends of TLS on localhost "
                 "and its own name",
                 "[security][authority]") {
  auto files = issue("worker-7.example", "executor");
  CHECK(files.cert == ca_dir + "/worker-7.example.pem");
  CHECK(mode_of(files.key) == 0600);
  parsed_cert cert{pem(files.cert)};
  CHECK(X509_check_purpose(cert.cert, X509_PURPOSE_SSL_SERVER, 0) == 1);
  CHECK(X509_check_purpose(cert.cert, X509_PURPOSE_SSL_CLIENT, 0) == 1);
  CHECK(X509_check_ca(cert.cert) == 0);
  CHECK(X509_check_host(cert.cert, "localhost", 0, 0, nullptr) == 1);
  CHECK(X509_check_host(cert.cert, "worker-7.example", 0, 0, nullptr) == 1);
  CHECK(X509_check_ip_asc(cert.cert, "127.0.0.1", 0) == 1);
  // Two certificates of one CA never share a serial.
  parsed_cert second{pem(issue("worker-8", "executor").cert)};
  CHECK(ASN1_INTEGER_cmp(X509_get0_serialNumber(cert.cert),
                         X509_get0_serialNumber(second.cert)) != 0);
}

TEST_CASE_METHOD(pki_fixture,
                 "issuing a name twice is refused and keeps the first key",
                 "[security][authority]") {
  auto first = issue("alice", "submitter");
  auto key = pem(first.key);
  CHECK_THROWS_WITH(issue("alice", "admin"),
                    "name: " + first.key +
                        " already exists (a key is never overwritten)");
  CHECK(pem(first.key) == key);
  CHECK(verify_certificate(pem(first.cert), pem(ca.cert)).role == "submitter");
}

TEST_CASE_METHOD(pki_fixture,
                 "bad names, roles and validity are refused naming the field",
                 "[security][authority]") {
  for (const char* bad : {"", "a/b", "-x", ".hidden", "with space", "é"})
    CHECK_THROWS_WITH(issue(bad, "reader"),
                      StartsWith("name: must be 1 to 64"));
  CHECK_THROWS_WITH(issue(std::string(65, 'a'), "reader"),
                    StartsWith("name: "));
  CHECK_THROWS_WITH(issue("ca", "reader"), StartsWith("name: \"ca\""));
  CHECK_THROWS_WITH(issue("n", "root"),
                    "role: must be admin, operator, submitter, reader or "
                    "executor, got \"root\"");
  CHECK_THROWS_WITH(issue("n", ""), StartsWith("role: "));
  certificate_request request{"n", "reader", 0, 0};
  CHECK_THROWS_WITH(issue_certificate(ca_dir, request),
                    "days: must be between 1 and 36500, got 0");
  CHECK_THROWS_WITH(create_authority((scratch.path / "x").string(), "x", -1),
                    StartsWith("days: "));
  // Nothing was written by a refusal.
  CHECK_FALSE(std::filesystem::exists(ca_dir + "/n.key"));
  CHECK_FALSE(std::filesystem::exists(scratch.path / "x" / "ca.key"));
}

TEST_CASE_METHOD(pki_fixture, "issuing from a directory without a CA says so",
                 "[security][authority]") {
  auto empty = (scratch.path / "empty").string();
  std::filesystem::create_directory(empty);
  certificate_request request{"n", "reader"};
  CHECK_THROWS_WITH(issue_certificate(empty, request),
                    "dir: cannot read " + empty +
                        "/ca.pem: No such file or directory");
}
