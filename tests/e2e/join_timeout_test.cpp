// An embedded executor node whose coordinator does not answer: `start`
// returns an error after the join timeout instead of hanging.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "messages/errc.hpp"
#include "tests/e2e/node_fixture.hpp"

using namespace troupe;
using troupe::test::node_fixture;

namespace {

uint16_t dead_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  socklen_t len = sizeof(addr);
  REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  close(fd);
  return ntohs(addr.sin_port);
}

} // namespace

TEST_CASE_METHOD(node_fixture,
                 "an embedded node that cannot join returns an error within "
                 "its join timeout",
                 "[e2e][join]") {
  options.join = "127.0.0.1:" + std::to_string(dead_port());
  options.join_timeout = std::chrono::seconds(1);
  node n{options};
  REQUIRE_FALSE(
      n.handle("echo", [](job_context& ctx) { return ctx.payload(); }));
  auto start = std::chrono::steady_clock::now();
  auto err = n.start();
  auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(code_of(err) == errc::node_unreachable);
  CHECK(elapsed < std::chrono::seconds(1 + 5)); // Generous: a loaded machine.
  CHECK_FALSE(n.submit(spec("echo"))); // Not started: refused, no crash.
}
