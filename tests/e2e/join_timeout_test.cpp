// An embedded executor node whose coordinator does not answer: `start`
// returns an error after the join timeout instead of hanging.
#include <chrono>

#include "tests/dead_port.hpp"
#include "tests/e2e/node_fixture.hpp"
#include "troupe/messages/errc.hpp"

using namespace troupe;
using troupe::test::dead_port;
using troupe::test::node_fixture;

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
