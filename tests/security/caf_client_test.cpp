// A client of CAF 0.17's OpenSSL module, configured as troupe's clients are,
// completes mutual TLS against a tls_stream and talks BASP through it to a
// real CAF node behind a relay: the way a broker terminates TLS.
#include <chrono>

#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <caf/openssl/all.hpp>
#include <catch2/catch.hpp>

#include "tests/security/pki_fixture.hpp"
#include "tests/security/tls_proxy.hpp"

using namespace troupe;
using namespace troupe::test;

namespace {

// Takes its factor as an argument: CAF 0.17 dereferences a null argument
// tuple when a function actor is spawned without any (UBSan reports it).
caf::behavior multiplier(int factor) {
  return {[factor](int x) { return x * factor; }};
}

} // namespace

TEST_CASE_METHOD(pki_fixture,
                 "a CAF OpenSSL client completes mutual TLS against the "
                 "stream and reaches the actor behind it",
                 "[security][tls][caf]") {
  auto node = issue("node", "executor");
  auto client_files = issue("cli-user", "submitter");
  tls_server_context context{tls_of(node)};
  // The plain CAF node the relay hands the decrypted BASP stream to.
  caf::actor_system_config backend_cfg;
  backend_cfg.load<caf::io::middleman>();
  caf::actor_system backend{backend_cfg};
  auto target = backend.spawn(multiplier, 2);
  auto port = backend.middleman().publish(target, 0, "127.0.0.1");
  REQUIRE(port);
  proxy_report report;
  {
    tls_proxy proxy{context, *port};
    caf::actor_system_config cfg;
    cfg.load<caf::io::middleman>();
    cfg.load<caf::openssl::manager>();
    cfg.openssl_certificate = client_files.cert;
    cfg.openssl_key = client_files.key;
    cfg.openssl_cafile = ca.cert;
    caf::actor_system client{cfg};
    auto remote = caf::openssl::remote_actor(client, "127.0.0.1", proxy.port());
    REQUIRE(remote);
    caf::scoped_actor self{client};
    int answer = 0;
    self->request(*remote, std::chrono::seconds(30), 21)
        .receive([&](int x) { answer = x; },
                 [&](caf::error& err) { FAIL(client.render(err)); });
    CHECK(answer == 42);
    report = proxy.stop();
  }
  // The backend system waits for its actors when it shuts down.
  caf::anon_send_exit(target, caf::exit_reason::user_shutdown);
  CHECK(report.accepted);
  CHECK(report.handshake_done);
  CHECK(report.error.empty());
  CHECK(report.peer.principal == "cli-user");
  CHECK(report.peer.role == "submitter");
  // At least the client's BASP handshake header went through in plaintext.
  CHECK(report.plaintext_bytes >= 32);
}
