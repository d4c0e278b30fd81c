// Raw sockets against a node's listening port: a BASP header announcing a
// huge payload before any handshake gets the connection dropped, the node
// allocates nothing for it and goes on serving.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>

#include "caf/io/middleman.hpp"

#include "tests/e2e/node_fixture.hpp"
#include "troupe/actors/cluster/gateway.hpp"
#include "troupe/actors/cluster/login.hpp"
#include "troupe/messages/type_ids.hpp"

using namespace troupe;
using troupe::test::node_fixture;

namespace {

/// This process's resident set in KiB, from /proc.
long resident_kib() {
  std::ifstream status{"/proc/self/status"};
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0)
      return std::stol(line.substr(6));
  return -1;
}

int connect_to(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  return fd;
}

/// A client handshake header announcing `payload_len` bytes.
std::string huge_header(uint32_t payload_len) {
  std::string header(32, '\0');
  header[0] = 0x01; // client_handshake
  for (int i = 0; i < 4; ++i)
    header[4 + i] = static_cast<char>((payload_len >> (24 - 8 * i)) & 0xff);
  return header;
}

/// Whether the server closed `fd` within a generous deadline; what it sent
/// before (its own handshake) is read and discarded.
bool closed_by_server(int fd) {
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 30'000) <= 0)
      return false;
    char buf[4096];
    if (recv(fd, buf, sizeof(buf), 0) <= 0)
      return true;
  }
}

} // namespace

TEST_CASE_METHOD(node_fixture,
                 "BASP headers announcing gigabytes before the handshake are "
                 "dropped without allocating, and the node still serves",
                 "[e2e][basp]") {
  options.listen_port = 0;
  node n{options};
  REQUIRE_FALSE(
      n.handle("echo", [](job_context& ctx) { return ctx.payload(); }));
  REQUIRE_FALSE(n.start());
  auto before = resident_kib();
  for (int i = 0; i < 4; ++i) {
    int fd = connect_to(n.port());
    auto header = huge_header(0xC0000000u); // 3 GiB
    REQUIRE(send(fd, header.data(), header.size(), 0) == 32);
    CHECK(closed_by_server(fd));
    close(fd);
  }
  auto growth_kib = resident_kib() - before;
  INFO("resident set grew by " << growth_kib << " KiB");
  CHECK(growth_kib < 64 * 1024); // Without the guard: 3 GiB per header.

  caf::actor_system_config cfg;
  register_types(cfg);
  load_middleman(cfg, default_heartbeat_timeout);
  caf::actor_system client{cfg};
  auto remote =
      connect_coordinator(client, "127.0.0.1", n.port(),
                          *load_login_material({}, "", "127.0.0.1", n.port()));
  REQUIRE(remote);
  caf::scoped_actor self{client};
  std::string id;
  self->request(remote->gateway, std::chrono::seconds(30),
                remote->session.token, submit_atom_v,
                spec("echo", R"({"still":"serving"})"))
      .receive([&](std::string& x) { id = std::move(x); },
               [&](caf::error& err) { FAIL(message_of(err)); });
  CHECK(wait(n, {id}).front().status == job_status::completed);
}
