// Server-side mutual TLS over memory BIOs: the handshake, the refusal of a
// peer without a certificate from our CA, and encryption both ways.
#include "troupe/security/tls_stream.hpp"

#include <algorithm>
#include <climits>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include "troupe/security/detail/openssl_support.hpp"

namespace troupe {

namespace {

// OpenSSL's calls take int sizes; larger buffers go in pieces.
constexpr size_t max_chunk = INT_MAX / 2;

int no_passphrase(char*, int, int, void*) {
  return 0;
}

[[noreturn]] void context_failure(const std::string& what) {
  throw security_error("tls: " + what + ": " + detail::take_openssl_error());
}

void load_files(SSL_CTX* ctx, const tls_files& files) {
  // The files passed check_tls_files; an encrypted key would have failed
  // there, and must never make OpenSSL prompt here.
  SSL_CTX_set_default_passwd_cb(ctx, no_passphrase);
  if (SSL_CTX_use_certificate_chain_file(ctx, files.cert.c_str()) != 1)
    context_failure("cannot load --tls-cert " + files.cert);
  if (SSL_CTX_use_PrivateKey_file(ctx, files.key.c_str(), SSL_FILETYPE_PEM) !=
          1 ||
      SSL_CTX_check_private_key(ctx) != 1)
    context_failure("cannot load --tls-key " + files.key);
  if (SSL_CTX_load_verify_locations(ctx, files.ca.c_str(), nullptr) != 1)
    context_failure("cannot load --tls-ca " + files.ca);
  // Tells clients which CA to pick a certificate of.
  if (auto* names = SSL_load_client_CA_file(files.ca.c_str()))
    SSL_CTX_set_client_CA_list(ctx, names);
}

bool issuer_unknown(long verify) {
  return verify == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT ||
         verify == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
         verify == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE ||
         verify == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT ||
         verify == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN ||
         verify == X509_V_ERR_CERT_SIGNATURE_FAILURE;
}

// One line on why the handshake or a record failed.
std::string describe_failure(SSL* ssl, int ssl_error) {
  auto code = ERR_peek_error();
  auto reason = ERR_GET_LIB(code) == ERR_LIB_SSL ? ERR_GET_REASON(code) : 0;
  auto verify = SSL_get_verify_result(ssl);
  if (reason == SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE) {
    ERR_clear_error();
    return "the peer presented no certificate";
  }
  if (reason == SSL_R_CERTIFICATE_VERIFY_FAILED && verify != X509_V_OK) {
    ERR_clear_error();
    std::string text = "certificate verify failed: ";
    text += X509_verify_cert_error_string(verify);
    if (issuer_unknown(verify))
      text += " (not signed by this cluster's CA)";
    return text;
  }
  if (ssl_error == SSL_ERROR_ZERO_RETURN)
    return "the peer closed the TLS session";
  auto text = detail::take_openssl_error();
  return "TLS error: " +
         (text.empty() ? "code " + std::to_string(ssl_error) : text);
}

} // namespace

// -- tls_server_context -------------------------------------------------------

tls_server_context::tls_server_context(const tls_files& files) {
  if (!files.enabled())
    throw security_error("tls: a TLS server needs --tls-cert, --tls-key and "
                         "--tls-ca");
  check_tls_files(files);
  ctx_ = SSL_CTX_new(TLS_server_method());
  if (ctx_ == nullptr)
    context_failure("cannot create a context");
  try {
    if (SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION) != 1 ||
        SSL_CTX_set_cipher_list(ctx_, "ECDHE+AESGCM:ECDHE+CHACHA20") != 1)
      context_failure("cannot restrict the protocol versions and ciphers");
    load_files(ctx_, files);
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                       nullptr);
    // No resumption and no renegotiation: every connection presents and
    // proves its certificate in a full handshake.
    SSL_CTX_set_session_cache_mode(ctx_, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_num_tickets(ctx_, 0);
    SSL_CTX_set_options(ctx_, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
  } catch (...) {
    SSL_CTX_free(ctx_);
    throw;
  }
}

tls_server_context::~tls_server_context() {
  SSL_CTX_free(ctx_);
}

// -- tls_stream ---------------------------------------------------------------

tls_stream::tls_stream(const tls_server_context& ctx) {
  ssl_ = SSL_new(ctx.native());
  network_in_ = BIO_new(BIO_s_mem());
  network_out_ = BIO_new(BIO_s_mem());
  if (ssl_ == nullptr || network_in_ == nullptr || network_out_ == nullptr) {
    BIO_free(network_in_);
    BIO_free(network_out_);
    SSL_free(ssl_);
    throw security_error("tls: cannot create a connection: " +
                         detail::take_openssl_error());
  }
  // An empty memory BIO means "no data yet", not end of file.
  BIO_set_mem_eof_return(network_in_, -1);
  SSL_set_bio(ssl_, network_in_, network_out_);
  SSL_set_accept_state(ssl_);
}

tls_stream::~tls_stream() {
  SSL_free(ssl_);
}

bool tls_stream::fail(const std::string& why) {
  if (error_.empty())
    error_ = why;
  return false;
}

bool tls_stream::feed(const char* data, size_t size) {
  if (!error_.empty())
    return false;
  for (size_t done = 0; done < size;) {
    auto n = std::min(size - done, max_chunk);
    if (BIO_write(network_in_, data + done, static_cast<int>(n)) <= 0)
      return fail("TLS error: out of memory");
    done += n;
  }
  if (!handshake_done_) {
    ERR_clear_error();
    auto ret = SSL_do_handshake(ssl_);
    if (ret != 1) {
      auto err = SSL_get_error(ssl_, ret);
      if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE)
        return true;
      return fail(describe_failure(ssl_, err));
    }
    if (!finish_handshake())
      return false;
  }
  return read_plaintext();
}

bool tls_stream::finish_handshake() {
  auto* cert = SSL_get0_peer_certificate(ssl_);
  if (cert == nullptr)
    return fail("the peer presented no certificate");
  try {
    peer_ = detail::identity_of(cert, "certificate");
  } catch (const security_error& e) {
    return fail(e.what());
  }
  handshake_done_ = true;
  auto pending = std::move(pending_);
  pending_.clear();
  return pending.empty() || encrypt(pending.data(), pending.size());
}

bool tls_stream::read_plaintext() {
  char buf[16384];
  for (;;) {
    ERR_clear_error();
    auto n = SSL_read(ssl_, buf, sizeof(buf));
    if (n > 0) {
      plaintext_.append(buf, static_cast<size_t>(n));
      continue;
    }
    auto err = SSL_get_error(ssl_, n);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE)
      return true;
    return fail(describe_failure(ssl_, err));
  }
}

std::string tls_stream::take_plaintext() {
  auto result = std::move(plaintext_);
  plaintext_.clear();
  return result;
}

bool tls_stream::write(const char* data, size_t size) {
  if (!error_.empty() || closed_)
    return false;
  if (!handshake_done_) {
    pending_.append(data, size);
    return true;
  }
  return encrypt(data, size);
}

bool tls_stream::encrypt(const char* data, size_t size) {
  for (size_t done = 0; done < size;) {
    auto n = std::min(size - done, max_chunk);
    ERR_clear_error();
    // A memory BIO takes everything, so a write never blocks halfway.
    auto ret = SSL_write(ssl_, data + done, static_cast<int>(n));
    if (ret <= 0)
      return fail(describe_failure(ssl_, SSL_get_error(ssl_, ret)));
    done += static_cast<size_t>(ret);
  }
  return true;
}

std::string tls_stream::take_output() {
  std::string result;
  char buf[16384];
  int n;
  while ((n = BIO_read(network_out_, buf, sizeof(buf))) > 0)
    result.append(buf, static_cast<size_t>(n));
  return result;
}

void tls_stream::close() {
  if (closed_)
    return;
  closed_ = true;
  if (handshake_done_ && error_.empty()) {
    ERR_clear_error();
    SSL_shutdown(ssl_);
    ERR_clear_error();
  }
}

} // namespace troupe
