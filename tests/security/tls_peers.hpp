// Real peers for the TLS stream tests: an OpenSSL client on a socket in a
// thread of its own, and a pump that drives a tls_stream from a socket.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "troupe/security/tls_stream.hpp"

namespace troupe::test {

/// What a client should present and say.
struct client_plan {
  /// Certificate and key; both empty: none.
  std::string cert;
  std::string key;
  /// The CA the client trusts the server by.
  std::string ca;
  /// Sent once connected.
  std::string message;
  /// Bytes to read back before closing.
  size_t expect = 0;
  /// The newest protocol version offered (e.g. TLS1_2_VERSION); 0: any.
  int max_version = 0;
  /// The TLS 1.2 cipher list; empty: OpenSSL's default.
  std::string ciphers{};
};

/// What the client saw.
struct client_outcome {
  bool connected = false;
  std::string received;
  std::string error;
};

/// Runs a blocking OpenSSL client over the connected socket `fd` (closes
/// it): handshake, send `plan.message`, read `plan.expect` bytes, shut down.
/// Gives up after 30 s without data.
client_outcome run_openssl_client(int fd, const client_plan& plan);

/// What a pump saw of a connection.
struct pump_outcome {
  /// False once the stream refused the connection or failed.
  bool ok = true;
  /// Everything the stream decrypted.
  std::string plaintext;
  /// True if the peer closed its socket.
  bool peer_closed = false;
};

/// Drives `stream` from the socket `fd`: feeds what arrives, sends what it
/// outputs, until `enough(plaintext)` holds, the stream fails, the peer
/// closes or `deadline` passes.
pump_outcome pump(int fd, tls_stream& stream,
                  const std::function<bool(const std::string&)>& enough,
                  std::chrono::seconds deadline = std::chrono::seconds{30});

/// Sends all of `bytes` to `fd`; false if the socket failed.
bool send_all(int fd, const std::string& bytes);

} // namespace troupe::test
