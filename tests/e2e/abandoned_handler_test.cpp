// A handler that ignores cancellation cannot hold a node's shutdown: the
// executor abandons it after a bounded wait, says so, and the next start
// re-queues its attempt.
#include <atomic>
#include <future>
#include <mutex>
#include <sstream>
#include <thread>

#include "spdlog/sinks/ostream_sink.h"

#include "tests/e2e/node_fixture.hpp"

using namespace troupe;
using troupe::test::node_fixture;

namespace {

/// Collects the library's log lines while it lives.
struct captured_log {
  std::ostringstream text;
  captured_log() {
    log_options log;
    log.sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(text);
    configure_logging(log);
  }
  ~captured_log() { configure_logging(log_options{}); }
};

} // namespace

TEST_CASE_METHOD(node_fixture,
                 "shutdown abandons a handler that ignores cancellation, "
                 "reports it, and the next start re-queues the job",
                 "[e2e][abandon]") {
  options.shutdown_grace = std::chrono::milliseconds(300);
  auto release = std::make_shared<std::atomic<bool>>(false);
  auto started = std::make_shared<std::promise<void>>();
  std::string id;
  {
    node n{options};
    REQUIRE_FALSE(n.handle("stubborn", [release, started](job_context& ctx) {
      if (ctx.attempt() == 1)
        started->set_value();
      while (!release->load()) // Never looks at ctx.cancelled().
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      return job_result{};
    }));
    REQUIRE_FALSE(n.start());
    id = submit(n, spec("stubborn"));
    started->get_future().wait();
    captured_log err;
    auto begin = std::chrono::steady_clock::now();
    n.shutdown();
    auto elapsed = std::chrono::steady_clock::now() - begin;
    // Grace 0.3 s plus the executor's 5 s patience, with room for a loaded
    // machine; before, this never returned.
    CHECK(elapsed < std::chrono::seconds(15));
    CHECK_THAT(err.text.str(),
               Catch::Contains("abandoned attempt 1 of job " + id));
  }
  release->store(true); // Let the abandoned thread end.
  node again{options};
  REQUIRE_FALSE(again.handle(
      "stubborn", [](job_context&) { return job_result{nlohmann::json(1)}; }));
  REQUIRE_FALSE(again.start());
  auto record = wait(again, {id}).front();
  CHECK(record.status == job_status::completed);
  CHECK(record.attempt == 2);
}
