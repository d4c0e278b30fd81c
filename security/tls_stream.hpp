// The server side of mutual TLS driven by bytes, with no socket of its own:
// a broker feeds what it reads from a connection and sends what comes out.
#pragma once

#include <cstddef>
#include <string>

#include <openssl/types.h>

#include "troupe/security/credentials.hpp"
#include "troupe/security/security_options.hpp"

namespace troupe {

/// An SSL_CTX for the server side of mutual TLS: TLS 1.2 or newer, this
/// node's certificate and key, and peers must present a certificate signed
/// by `files.ca`. No session resumption, so every connection proves itself.
class tls_server_context {
public:
  /// Checks the files (`check_tls_files`) and loads them; throws
  /// security_error naming the field, or "tls: ..." if none is set.
  explicit tls_server_context(const tls_files& files);

  ~tls_server_context();

  tls_server_context(const tls_server_context&) = delete;
  tls_server_context& operator=(const tls_server_context&) = delete;

  /// The OpenSSL context; owned by this object.
  SSL_CTX* native() const { return ctx_; }

private:
  SSL_CTX* ctx_ = nullptr;
};

/// One server-side TLS connection driven by bytes, with no socket of its
/// own. Not thread-safe: one connection, one owner.
class tls_stream {
public:
  /// A connection that awaits the client's hello. It keeps its own
  /// reference to `ctx`'s SSL_CTX, so it may outlive `ctx`.
  explicit tls_stream(const tls_server_context& ctx);

  ~tls_stream();

  tls_stream(const tls_stream&) = delete;
  tls_stream& operator=(const tls_stream&) = delete;

  /// Takes bytes from the network. False once the connection must be
  /// dropped (handshake refused: no certificate, another CA, expired; the
  /// peer closed the session; or a TLS error); `error()` says why in one
  /// line. Send `take_output()` (an alert) before closing the socket.
  bool feed(const char* data, size_t size);

  /// Plaintext decrypted so far, moved out.
  std::string take_plaintext();

  /// Encrypts plaintext for the peer (buffered until the handshake is
  /// done). False on a TLS error or after a failure.
  bool write(const char* data, size_t size);

  /// Bytes to send to the network (handshake records, encrypted data,
  /// alerts), moved out.
  std::string take_output();

  /// Queues a close_notify alert for the peer (see `take_output`); later
  /// writes fail.
  void close();

  /// True once the handshake completed and the peer's certificate was
  /// verified.
  bool handshake_done() const { return handshake_done_; }

  /// Why the connection failed; empty while it has not.
  const std::string& error() const { return error_; }

  /// The verified peer's identity once the handshake is done (empty
  /// before).
  peer_identity peer() const { return peer_; }

private:
  bool fail(const std::string& why);
  bool finish_handshake();
  bool read_plaintext();
  bool encrypt(const char* data, size_t size);

  SSL* ssl_ = nullptr;
  // Both owned by ssl_: what the network sent us and what we send it.
  BIO* network_in_ = nullptr;
  BIO* network_out_ = nullptr;
  std::string plaintext_;
  // Plaintext written before the handshake finished.
  std::string pending_;
  std::string error_;
  bool handshake_done_ = false;
  bool closed_ = false;
  peer_identity peer_;
};

} // namespace troupe
