// A node's start and failures: a store that fails a write stops the node
// with the error instead of acting on state the disk does not have (nothing
// not durable is acknowledged; a restart recovers every acknowledged job and
// accepts the failed id anew), and a malformed control row never keeps it
// from starting.
#include <future>

#include "troupe/storage/key_schema.hpp"

#include "tests/e2e/node_fixture.hpp"
#include "tests/raw_rows.hpp"

using namespace troupe;
using troupe::test::node_fixture;

namespace {

job_spec with_id(std::string id) {
  auto x = node_fixture::spec("work");
  x.id = std::move(id);
  return x;
}

} // namespace

TEST_CASE_METHOD(node_fixture,
                 "a failed store write stops the node, acknowledges nothing "
                 "more, and a restart recovers every acknowledged job",
                 "[e2e][fail-stop]") {
  options.executor.slots = 0; // Jobs stay queued: one write per submit.
  options.store.fail_writes_from = 4;
  std::promise<caf::error> stopped;
  options.on_failure = [&stopped](const caf::error& err) {
    stopped.set_value(err);
  };
  std::vector<std::string> acked;
  {
    node n{options};
    REQUIRE_FALSE(n.start());
    for (auto id : {"a1", "a2", "a3"})
      acked.push_back(submit(n, with_id(id)));
    auto refused = n.submit(with_id("f4"));
    REQUIRE_FALSE(refused);
    CHECK(code_of(refused.error()) == errc::storage_failure);
    CHECK(message_of(refused.error()).find("injected fault") !=
          std::string::npos);
    auto reason = stopped.get_future();
    REQUIRE(reason.wait_for(std::chrono::seconds(30)) ==
            std::future_status::ready);
    CHECK(code_of(reason.get()) == errc::storage_failure);
    CHECK(code_of(n.failure()) == errc::storage_failure);
    // A retry of the same id, or any other change, is not acknowledged.
    CHECK_FALSE(n.submit(with_id("f4")));
    CHECK_FALSE(n.submit(with_id("f5")));
    n.shutdown();
  }
  options.store.fail_writes_from = 0;
  options.on_failure = nullptr;
  node n{options};
  REQUIRE_FALSE(n.start());
  CHECK_FALSE(n.failure());
  for (const auto& id : acked) {
    auto x = n.get(id);
    REQUIRE(x);
    CHECK(x->status == job_status::queued);
  }
  CHECK(code_of(n.get("f4").error()) == errc::not_found);
  CHECK(code_of(n.get("f5").error()) == errc::not_found);
  CHECK(submit(n, with_id("f4")) == "f4");
  auto created = n.get("f4");
  REQUIRE(created);
  CHECK(created->status == job_status::queued);
}

TEST_CASE_METHOD(node_fixture,
                 "a malformed control row found at start is set aside and "
                 "reported, and the node starts",
                 "[e2e][quarantine]") {
  {
    node n{options};
    REQUIRE_FALSE(n.start());
    REQUIRE(n.pause(control_scope::type, "work"));
    n.shutdown();
  }
  // A pause with scope byte 9, as an older build let a client store it.
  test::write_raw(options.store.path,
                  {{schema::limits, std::string{"p\x09j1", 4}, ""}});
  node n{options};
  REQUIRE_FALSE(n.start());
  REQUIRE(n.warnings().size() == 1);
  CHECK(n.warnings()[0].find("scope byte 9 is out of range") !=
        std::string::npos);
  auto controls = n.controls();
  REQUIRE(controls);
  CHECK(controls->paused_types == std::vector<std::string>{"work"});
}
