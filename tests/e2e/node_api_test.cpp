// The embedding API refuses what it cannot do safely: calls before `start`
// (there is no actor system yet) and new handlers once executors run.
#include <stdexcept>

#include "tests/e2e/node_fixture.hpp"
#include "troupe/messages/errc.hpp"

using namespace troupe;
using troupe::test::node_fixture;

TEST_CASE_METHOD(node_fixture,
                 "the node API before start is refused with an error",
                 "[e2e][node-api]") {
  node n{options};
  auto id = n.submit(spec("echo"));
  REQUIRE_FALSE(id);
  CHECK(code_of(id.error()) == errc::invalid_transition);
  CHECK(message_of(id.error()) == "submit: the node is not started");
  CHECK_FALSE(n.get("x"));
  CHECK_FALSE(n.wait({"x"}, std::chrono::milliseconds(10)));
  CHECK_FALSE(n.controls());
  CHECK_FALSE(n.pause(control_scope::type, "echo"));
  CHECK_FALSE(n.spawn_executor("127.0.0.1", 1, executor_settings{}));
  CHECK_THROWS_AS(n.system(), std::logic_error);
}

TEST_CASE_METHOD(node_fixture,
                 "a handler registered after start is refused and changes "
                 "nothing",
                 "[e2e][node-api]") {
  node n{options};
  REQUIRE_FALSE(
      n.handle("echo", [](job_context& ctx) { return ctx.payload(); }));
  auto bad_name =
      n.handle("Not A Type", [](job_context&) { return job_result{}; });
  CHECK(code_of(bad_name) == errc::invalid_field);
  REQUIRE_FALSE(n.start());
  auto late = n.handle("late", [](job_context&) { return job_result{}; });
  CHECK(code_of(late) == errc::invalid_transition);
  CHECK(message_of(late) ==
        "handle: handlers are registered before start, got late on a running "
        "node");
  CHECK(wait(n, {submit(n, spec("echo"))}).front().status ==
        job_status::completed);
  n.shutdown();
  CHECK_FALSE(n.submit(spec("echo"))); // Stopped again: refused, no crash.
}
