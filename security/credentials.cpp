// Reading PEM files, checking a node's three TLS files together and
// verifying a peer's certificate against the cluster's CA.
#include "troupe/security/credentials.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

#include <openssl/x509.h>

#include "troupe/security/detail/openssl_support.hpp"

namespace troupe {

namespace {

using detail::x509_ptr;

// The certificate in the file `path` of the flag `field`.
x509_ptr certificate_file(const std::string& path, const char* field,
                          std::string& pem) {
  pem = read_pem_file(path, field);
  auto cert = detail::parse_certificate(pem);
  if (!cert)
    throw security_error(std::string{field} + ": " + path +
                         " holds no PEM certificate");
  return cert;
}

void check_all_given(const tls_files& files) {
  std::string missing;
  for (auto [flag, value] :
       {std::pair{"--tls-cert", &files.cert},
        std::pair{"--tls-key", &files.key}, std::pair{"--tls-ca", &files.ca}})
    if (value->empty())
      missing += (missing.empty() ? "" : ", ") + std::string{flag};
  if (!missing.empty())
    throw security_error("tls: --tls-cert, --tls-key and --tls-ca go "
                         "together (missing: " +
                         missing + ")");
}

} // namespace

std::string read_pem_file(const std::string& path, const char* field) {
  // PEM files are a few KiB; a bigger one is not a key or certificate.
  constexpr size_t max_size = 1 << 20;
  auto fail = [&](const std::string& why) {
    return security_error(std::string{field} + ": cannot read " + path + ": " +
                          why);
  };
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw fail(std::strerror(errno));
  std::string text;
  char buf[4096];
  for (;;) {
    auto n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0 || text.size() + static_cast<size_t>(n) > max_size) {
      auto code = n < 0 ? errno : 0;
      ::close(fd);
      if (n < 0)
        throw fail(std::strerror(code));
      if (n > 0)
        throw fail("larger than 1 MiB");
      return text;
    }
    text.append(buf, static_cast<size_t>(n));
  }
}

void check_tls_files(const tls_files& files) {
  if (!files.enabled())
    return;
  check_all_given(files);
  std::string cert_pem;
  std::string ca_pem;
  auto cert = certificate_file(files.cert, "tls-cert", cert_pem);
  auto key = detail::parse_private_key(read_pem_file(files.key, "tls-key"));
  if (!key)
    throw security_error("tls-key: " + files.key +
                         " holds no unencrypted PEM private key");
  auto ca = certificate_file(files.ca, "tls-ca", ca_pem);
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    detail::take_openssl_error();
    throw security_error("tls-key: " + files.key +
                         " does not match the certificate " + files.cert);
  }
  auto broken = detail::verify_against(cert.get(), ca.get());
  if (!broken.empty())
    throw security_error("tls-cert: " + files.cert + ": " + broken +
                         " (--tls-ca " + files.ca + ")");
  detail::identity_of(cert.get(), ("tls-cert: " + files.cert).c_str());
}

peer_identity verify_certificate(const std::string& cert_pem,
                                 const std::string& ca_pem) {
  auto cert = detail::parse_certificate(cert_pem);
  if (!cert)
    throw security_error("certificate: not a PEM certificate");
  auto ca = detail::parse_certificate(ca_pem);
  if (!ca)
    throw security_error("ca: not a PEM certificate");
  auto broken = detail::verify_against(cert.get(), ca.get());
  if (!broken.empty())
    throw security_error("certificate: " + broken);
  return detail::identity_of(cert.get(), "certificate");
}

} // namespace troupe
