// `troupe serve` under systemd (Type=notify): READY=1 once it listens and
// STOPPING=1 when a stop signal arrives, sent to the NOTIFY_SOCKET datagram
// socket the way the service manager receives them.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "tests/cli/cli_process.hpp"

using namespace troupe::cli_test;

namespace {

/// A datagram socket standing in for the service manager's notify socket.
struct notify_socket {
  int fd = -1;
  std::string path;

  explicit notify_socket(std::string where) : path(std::move(where)) {
    fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    REQUIRE(path.size() < sizeof(address.sun_path));
    std::strcpy(address.sun_path, path.c_str());
    REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) ==
            0);
    // A generous deadline for a loaded machine; a notice normally comes
    // within milliseconds of the line the server prints.
    timeval timeout{60, 0};
    REQUIRE(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout,
                       sizeof(timeout)) == 0);
  }

  ~notify_socket() { close(fd); }

  /// The next notice, or "" if none came before the deadline.
  std::string next() {
    char buffer[256];
    auto n = recv(fd, buffer, sizeof(buffer), 0);
    return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : "";
  }
};

} // namespace

TEST_CASE("serve tells systemd it is ready once it listens and that it stops "
          "on SIGTERM") {
  scratch_dir dir;
  notify_socket manager{dir / "notify"};
  background_process server{
      {"serve", "--data", dir / "data", "--listen", "127.0.0.1:0"},
      {"/usr/bin/env", "NOTIFY_SOCKET=" + manager.path}};
  CHECK(server.banner().find("listening on") != std::string::npos);
  CHECK(manager.next() == "READY=1");
  CHECK(server.stop(SIGTERM) == 0);
  CHECK(manager.next() == "STOPPING=1");
}
