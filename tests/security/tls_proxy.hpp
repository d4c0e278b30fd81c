// A TLS-terminating proxy for one connection, as a broker would be: TLS
// from the client through a tls_stream, plaintext to a backend port.
#pragma once

#include <cstdint>
#include <string>
#include <thread>

#include "troupe/security/tls_stream.hpp"

namespace troupe::test {

/// What the proxy saw of its one connection.
struct proxy_report {
  bool accepted = false;
  bool handshake_done = false;
  peer_identity peer;
  /// Plaintext bytes from the client passed to the backend.
  size_t plaintext_bytes = 0;
  /// The stream's error, if it failed.
  std::string error;
};

/// Accepts one TCP connection on a loopback port, terminates TLS with
/// `ctx` and relays plaintext to and from 127.0.0.1:`backend_port`, in a
/// thread of its own, until either side closes or `stop()`.
class tls_proxy {
public:
  tls_proxy(const tls_server_context& ctx, uint16_t backend_port);

  /// Stops the relay if it still runs.
  ~tls_proxy();

  tls_proxy(const tls_proxy&) = delete;
  tls_proxy& operator=(const tls_proxy&) = delete;

  /// The port the proxy listens on.
  uint16_t port() const { return port_; }

  /// Ends the relay (closing both connections) and returns what it saw.
  proxy_report stop();

private:
  void run();
  void relay(int client, int backend, tls_stream& stream);

  const tls_server_context& ctx_;
  uint16_t backend_port_;
  uint16_t port_ = 0;
  int listener_ = -1;
  // Written to by stop() to wake the relay's poll.
  int wake_[2] = {-1, -1};
  proxy_report report_;
  std::thread thread_;
};

} // namespace troupe::test
