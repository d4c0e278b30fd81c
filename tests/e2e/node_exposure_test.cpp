// The rules of exposure in the embedding API itself, so a service that
// embeds a node is held to them as `troupe serve` is: no listening beyond
// loopback without TLS unless asked (then a warning at every start), TLS
// files all or none, and types a node refuses at submission.
#include <filesystem>
#include <sstream>

#include "spdlog/sinks/ostream_sink.h"

#include "tests/e2e/node_fixture.hpp"
#include "troupe/actors/node/exposure.hpp"
#include "troupe/messages/errc.hpp"

using namespace troupe;
using troupe::test::node_fixture;

namespace {

size_t count_of(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1))
    ++count;
  return count;
}

} // namespace

TEST_CASE("loopback is 127.0.0.0/8, ::1 and localhost, nothing else",
          "[e2e][exposure]") {
  for (auto host : {"127.0.0.1", "127.255.0.9", "::1", "::ffff:127.0.0.1",
                    "localhost", "LocalHost"})
    CHECK(is_loopback_host(host));
  for (auto host :
       {"0.0.0.0", "::", "", "10.0.0.1", "128.0.0.1", "::ffff:10.0.0.1",
        "example.com", "127.0.0.1.example.com", "localhost.example.com"})
    CHECK_FALSE(is_loopback_host(host));
}

TEST_CASE_METHOD(node_fixture,
                 "an embedded node refuses to listen beyond loopback without "
                 "TLS and changes nothing",
                 "[e2e][exposure]") {
  options.listen_host = "0.0.0.0";
  options.listen_port = 0;
  SECTION("a coordinator") {
    // nop
  }
  SECTION("a bare node") {
    options.bare = true;
  }
  node n{options};
  auto err = n.start();
  CHECK(code_of(err) == errc::invalid_field);
  CHECK(message_of(err) ==
        "listen: 0.0.0.0 is beyond loopback: serve it with TLS (--tls-cert, "
        "--tls-key, --tls-ca) or pass --insecure-no-tls");
  CHECK(n.port() == 0);
  CHECK_FALSE(std::filesystem::exists(options.store.path));
  CHECK_THROWS(n.system()); // No actor system was made.
}

TEST_CASE_METHOD(node_fixture,
                 "TLS files given partially are refused by every kind of node",
                 "[e2e][exposure]") {
  options.security.tls.cert = (dir.path / "node.pem").string();
  SECTION("a coordinator") {
    options.listen_port = 0;
  }
  SECTION("a worker, which opens no port") {
    options.join = "127.0.0.1:1";
  }
  node n{options};
  auto err = n.start();
  CHECK(code_of(err) == errc::invalid_field);
  CHECK_THAT(
      message_of(err),
      Catch::StartsWith("tls: --tls-cert, --tls-key and --tls-ca go together"));
  CHECK_FALSE(std::filesystem::exists(options.store.path));
}

TEST_CASE_METHOD(node_fixture,
                 "an embedded node with insecure_no_tls listens beyond "
                 "loopback and warns at every start",
                 "[e2e][exposure]") {
  // The logger is process-wide and keeps the sink: the stream outlives it.
  static std::ostringstream logged;
  logged.str({});
  options.log.sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(logged);
  options.listen_host = "0.0.0.0";
  options.listen_port = 0;
  options.security.insecure_no_tls = true;
  node n{options};
  REQUIRE_FALSE(n.start());
  auto warning =
      "troupe: WARNING: listening on 0.0.0.0:" + std::to_string(n.port()) +
      " without TLS: anyone who reaches this port can run jobs";
  CHECK(count_of(logged.str(), warning) == 1);
  n.shutdown();
  REQUIRE_FALSE(n.start());
  CHECK(count_of(logged.str(), "troupe: WARNING: listening on 0.0.0.0:") == 2);
  n.shutdown();
}

TEST_CASE_METHOD(node_fixture,
                 "a refused type is refused at submission with the reason and "
                 "nothing is stored",
                 "[e2e][exposure]") {
  const std::string reason = "type: the risky job type is off on this node";
  node n{options};
  REQUIRE_FALSE(n.handle("risky", [](job_context&) { return job_result{}; }));
  REQUIRE_FALSE(
      n.handle("echo", [](job_context& ctx) { return ctx.payload(); }));
  REQUIRE_FALSE(n.refuse("risky", reason));
  CHECK(code_of(n.refuse("Not A Type", reason)) == errc::invalid_field);
  CHECK(code_of(n.refuse("other", "")) == errc::invalid_field);
  REQUIRE_FALSE(n.start());
  CHECK(code_of(n.refuse("late", reason)) == errc::invalid_transition);
  auto refused = n.submit(spec("risky"));
  REQUIRE_FALSE(refused);
  CHECK(code_of(refused.error()) == errc::invalid_field);
  CHECK(message_of(refused.error()) == reason);
  CHECK(list(n).empty());
  CHECK(wait(n, {submit(n, spec("echo"))}).front().status ==
        job_status::completed); // Other types are untouched.
}
