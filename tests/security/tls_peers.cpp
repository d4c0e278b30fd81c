// A blocking OpenSSL client and a socket pump for the TLS stream tests.
#include "tests/security/tls_peers.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace troupe::test {

namespace {

// A peer that hangs up mid-write must fail the write, not kill the test.
const bool sigpipe_ignored = [] {
  std::signal(SIGPIPE, SIG_IGN);
  return true;
}();

std::string ssl_error_text() {
  auto code = ERR_get_error();
  ERR_clear_error();
  if (code == 0)
    return "connection closed";
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  return text;
}

SSL_CTX* client_context(const client_plan& plan) {
  auto* ctx = SSL_CTX_new(TLS_client_method());
  if (!plan.cert.empty()) {
    SSL_CTX_use_certificate_chain_file(ctx, plan.cert.c_str());
    SSL_CTX_use_PrivateKey_file(ctx, plan.key.c_str(), SSL_FILETYPE_PEM);
  }
  SSL_CTX_load_verify_locations(ctx, plan.ca.c_str(), nullptr);
  if (plan.max_version != 0) {
    // Old versions sit below OpenSSL's default security level.
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_min_proto_version(ctx, 0);
    SSL_CTX_set_max_proto_version(ctx, plan.max_version);
  }
  if (!plan.ciphers.empty())
    SSL_CTX_set_cipher_list(ctx, plan.ciphers.c_str());
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  return ctx;
}

} // namespace

client_outcome run_openssl_client(int fd, const client_plan& plan) {
  (void)sigpipe_ignored;
  client_outcome out;
  timeval limit{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit));
  auto* ctx = client_context(plan);
  auto* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  if (SSL_connect(ssl) == 1) {
    out.connected = true;
    if (!plan.message.empty())
      SSL_write(ssl, plan.message.data(),
                static_cast<int>(plan.message.size()));
    char buf[4096];
    while (out.received.size() < plan.expect) {
      auto n = SSL_read(ssl, buf, sizeof(buf));
      if (n <= 0)
        break;
      out.received.append(buf, static_cast<size_t>(n));
    }
    if (out.received.size() >= plan.expect)
      SSL_shutdown(ssl);
  }
  if (out.received.size() < plan.expect || !out.connected)
    out.error = ssl_error_text();
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  ::close(fd);
  return out;
}

bool send_all(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    auto n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

pump_outcome pump(int fd, tls_stream& stream,
                  const std::function<bool(const std::string&)>& enough,
                  std::chrono::seconds deadline) {
  pump_outcome out;
  auto until = std::chrono::steady_clock::now() + deadline;
  send_all(fd, stream.take_output());
  char buf[16384];
  while (!enough(out.plaintext) && std::chrono::steady_clock::now() < until) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0)
      continue;
    auto n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      out.peer_closed = true;
      break;
    }
    out.ok = stream.feed(buf, static_cast<size_t>(n));
    out.plaintext += stream.take_plaintext();
    // A refusal's alert goes out too, so the client learns why.
    send_all(fd, stream.take_output());
    if (!out.ok)
      break;
  }
  return out;
}

} // namespace troupe::test
