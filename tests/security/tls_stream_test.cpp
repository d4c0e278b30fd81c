// The server side of mutual TLS against a real OpenSSL client over a socket
// pair: a good certificate talks both ways, anything else is refused.
#include <sys/socket.h>
#include <unistd.h>

#include <future>

#include <catch2/catch.hpp>
#include <openssl/ssl.h>

#include "tests/security/pki_fixture.hpp"
#include "tests/security/tls_peers.hpp"

using namespace troupe;
using namespace troupe::test;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

/// A node's TLS server and one client connected to it over a socket pair.
struct tls_fixture : pki_fixture {
  issued_files node = issue("node", "executor");
  tls_server_context context{tls_of(node)};
  tls_stream stream{context};
  int server_fd = -1;

  ~tls_fixture() {
    if (server_fd >= 0)
      ::close(server_fd);
  }

  /// Starts a client with `plan` in a thread of its own.
  std::future<client_outcome> connect(client_plan plan) {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    server_fd = fds[0];
    if (plan.ca.empty())
      plan.ca = ca.cert;
    return std::async(std::launch::async, [plan, fd = fds[1]] {
      return run_openssl_client(fd, plan);
    });
  }

  /// Runs a client presenting `cert` and `key` (none if empty) that the
  /// server must refuse; returns the stream's error.
  std::string refused(const std::string& cert = {},
                      const std::string& key = {}) {
    client_plan plan{cert, key, ca.cert, "let me in", 1};
    auto client = connect(plan);
    auto out =
        pump(server_fd, stream, [](const std::string&) { return false; });
    ::close(server_fd);
    server_fd = -1;
    auto seen = client.get();
    CHECK_FALSE(out.ok);
    CHECK_FALSE(stream.handshake_done());
    CHECK(out.plaintext.empty());
    CHECK(seen.received.empty());
    return stream.error();
  }
};

} // namespace

TEST_CASE_METHOD(tls_fixture,
                 "a client with a certificate of the cluster CA completes the "
                 "handshake and plaintext flows both ways",
                 "[security][tls]") {
  auto alice = issue("alice", "submitter");
  // Written before the handshake: held back until it is done.
  std::string early = "hello alice, ";
  REQUIRE(stream.write(early.data(), early.size()));
  std::string late = "from the node";
  auto client = connect(
      {alice.cert, alice.key, "", "hello node", early.size() + late.size()});
  // The client closes only once it read `late`, sent after this pump.
  auto out = pump(server_fd, stream,
                  [](const std::string& text) { return text.size() >= 10; });
  CHECK(out.ok);
  CHECK(out.plaintext == "hello node");
  CHECK(stream.handshake_done());
  CHECK(stream.error().empty());
  CHECK(stream.peer().principal == "alice");
  CHECK(stream.peer().role == "submitter");
  REQUIRE(stream.write(late.data(), late.size()));
  // The client reads the reply and closes the session with close_notify.
  auto rest = pump(server_fd, stream, [](const std::string&) { return false; });
  auto seen = client.get();
  CHECK(seen.connected);
  CHECK(seen.received == early + late);
  CHECK_FALSE(rest.ok);
  CHECK(stream.error() == "the peer closed the TLS session");
}

TEST_CASE_METHOD(tls_fixture,
                 "a TLS 1.2 client with CAF's cipher list is served and an "
                 "older protocol is refused",
                 "[security][tls]") {
  auto alice = issue("alice", "submitter");
  SECTION("TLS 1.2") {
    REQUIRE(stream.write("ok", 2));
    client_plan plan{alice.cert, alice.key, "", "over 1.2", 2};
    plan.max_version = TLS1_2_VERSION;
    plan.ciphers = "HIGH:!aNULL:!MD5";
    auto client = connect(plan);
    auto out = pump(server_fd, stream,
                    [](const std::string& text) { return text.size() >= 8; });
    // The client may close right after its message: no check of out.ok.
    CHECK(stream.handshake_done());
    CHECK(out.plaintext == "over 1.2");
    CHECK(stream.peer().principal == "alice");
    CHECK(client.get().received == "ok");
  }
  SECTION("TLS 1.1") {
    client_plan plan{alice.cert, alice.key, "", "over 1.1", 1};
    plan.max_version = TLS1_1_VERSION;
    auto client = connect(plan);
    auto out =
        pump(server_fd, stream, [](const std::string&) { return false; });
    ::close(server_fd);
    server_fd = -1;
    CHECK_FALSE(out.ok);
    CHECK_FALSE(client.get().connected);
    CHECK_THAT(stream.error(), StartsWith("TLS error: "));
  }
}

TEST_CASE_METHOD(tls_fixture,
                 "a client without a certificate is refused before any "
                 "plaintext",
                 "[security][tls]") {
  CHECK(refused() == "the peer presented no certificate");
}

TEST_CASE_METHOD(tls_fixture,
                 "a client with a certificate of another CA is refused",
                 "[security][tls]") {
  auto foreign = issue("mallory", "admin", other_dir);
  CHECK_THAT(refused(foreign.cert, foreign.key),
             StartsWith("certificate verify failed: ") &&
                 Contains("not signed by this cluster's CA"));
}

TEST_CASE_METHOD(tls_fixture, "a client with an expired certificate is refused",
                 "[security][tls]") {
  auto old = issue_expired("old");
  CHECK(refused(old.cert, old.key) ==
        "certificate verify failed: certificate has expired");
}

TEST_CASE_METHOD(tls_fixture, "bytes that are not TLS fail the stream",
                 "[security][tls]") {
  std::string junk = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  CHECK_FALSE(stream.feed(junk.data(), junk.size()));
  CHECK_THAT(stream.error(), StartsWith("TLS error: "));
  CHECK_FALSE(stream.feed(junk.data(), junk.size()));
  CHECK_FALSE(stream.write("x", 1));
}

TEST_CASE_METHOD(pki_fixture,
                 "a TLS server context refuses files that do not go together",
                 "[security][tls]") {
  auto node = issue("node", "executor");
  auto other_node = issue("node2", "executor");
  CHECK_THROWS_WITH(tls_server_context(tls_files{}),
                    StartsWith("tls: a TLS server needs"));
  CHECK_THROWS_WITH(tls_server_context({node.cert, other_node.key, ca.cert}),
                    StartsWith("tls-key: "));
  CHECK_THROWS_WITH(tls_server_context({node.cert, node.key, other.cert}),
                    StartsWith("tls-cert: ") &&
                        Contains("not signed by this cluster's CA"));
}
