// The TLS-terminating relay of the CAF client test: poll on the client, the
// backend and a wake-up pipe, with a tls_stream in between.
#include "tests/security/tls_proxy.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include <catch2/catch.hpp>

#include "tests/security/tls_peers.hpp"

namespace troupe::test {

namespace {

sockaddr_in loopback(uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

} // namespace

tls_proxy::tls_proxy(const tls_server_context& ctx, uint16_t backend_port)
    : ctx_(ctx), backend_port_(backend_port) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(listener_ >= 0);
  auto addr = loopback(0);
  socklen_t len = sizeof(addr);
  REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&addr), len) == 0);
  REQUIRE(::listen(listener_, 1) == 0);
  REQUIRE(::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) ==
          0);
  port_ = ntohs(addr.sin_port);
  REQUIRE(::pipe2(wake_, O_CLOEXEC) == 0);
  thread_ = std::thread{[this] { run(); }};
}

tls_proxy::~tls_proxy() {
  stop();
  for (int fd : {listener_, wake_[0], wake_[1]})
    if (fd >= 0)
      ::close(fd);
}

proxy_report tls_proxy::stop() {
  if (thread_.joinable()) {
    char byte = 0;
    // The pipe has room for it; a failed write would show as a hang.
    REQUIRE(::write(wake_[1], &byte, 1) == 1);
    thread_.join();
  }
  return report_;
}

void tls_proxy::run() {
  pollfd waiting[2] = {{listener_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
  if (::poll(waiting, 2, -1) <= 0 || (waiting[1].revents & POLLIN) != 0)
    return;
  int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
  if (client < 0)
    return;
  report_.accepted = true;
  int backend = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  auto addr = loopback(backend_port_);
  if (::connect(backend, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) ==
      0) {
    tls_stream stream{ctx_};
    relay(client, backend, stream);
    report_.handshake_done = stream.handshake_done();
    report_.peer = stream.peer();
    report_.error = stream.error();
  }
  ::close(backend);
  ::close(client);
}

void tls_proxy::relay(int client, int backend, tls_stream& stream) {
  char buf[16384];
  for (;;) {
    pollfd fds[3] = {
        {client, POLLIN, 0}, {backend, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (::poll(fds, 3, -1) < 0 && errno != EINTR)
      return;
    if ((fds[2].revents & POLLIN) != 0)
      return;
    if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      auto n = ::read(client, buf, sizeof(buf));
      if (n <= 0)
        return;
      auto ok = stream.feed(buf, static_cast<size_t>(n));
      auto plain = stream.take_plaintext();
      report_.plaintext_bytes += plain.size();
      send_all(backend, plain);
      send_all(client, stream.take_output());
      if (!ok)
        return;
    }
    if ((fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      auto n = ::read(backend, buf, sizeof(buf));
      if (n <= 0 || !stream.write(buf, static_cast<size_t>(n)))
        return;
      send_all(client, stream.take_output());
    }
  }
}

} // namespace troupe::test
