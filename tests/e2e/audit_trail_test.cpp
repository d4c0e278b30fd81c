// The audit trail of a real node: entries recorded through the recorder and
// the node API, read back through `node::audit` and the status reporter,
// and still there after the node restarts on the same data directory.
#include "tests/e2e/node_fixture.hpp"
#include "troupe/actors/audit/audit_log.hpp"
#include "troupe/messages/errc.hpp"

using namespace troupe;
using troupe::test::node_fixture;

namespace {

std::vector<std::string> actions(const std::vector<audit_entry>& xs) {
  std::vector<std::string> out;
  for (const auto& x : xs)
    out.push_back(x.action);
  return out;
}

std::vector<audit_entry> read(node& n, const audit_query& query = {}) {
  auto xs = n.audit(query);
  INFO((xs ? std::string{} : message_of(xs.error())));
  REQUIRE(xs);
  return std::move(*xs);
}

/// The trail as the status reporter answers a request for it.
std::vector<audit_entry> read_from_reporter(node& n) {
  caf::scoped_actor self{n.system()};
  std::vector<audit_entry> result;
  self->request(n.status_reporter(), std::chrono::seconds(10), audit_atom_v,
                audit_query{})
      .receive([&](std::vector<audit_entry>& xs) { result = std::move(xs); },
               [&](caf::error& err) { FAIL(message_of(err)); });
  return result;
}

using strings = std::vector<std::string>;

} // namespace

TEST_CASE_METHOD(node_fixture,
                 "a node's audit trail is read back through the node API and "
                 "the status reporter and survives a restart",
                 "[e2e][audit]") {
  {
    node n{options};
    CHECK(code_of(n.record_audit(make_audit_entry("a", "x", ""))) ==
          errc::invalid_transition);
    CHECK(code_of(n.audit({}).error()) == errc::invalid_transition);
    REQUIRE_FALSE(n.start());
    REQUIRE(n.audit_recorder());
    record_audit(n.audit_recorder(),
                 make_audit_entry("alice", "pause", "type:render"));
    REQUIRE_FALSE(n.record_audit(make_audit_entry(
        "bob", "cancel", "j1", make_error(errc::forbidden, "needs operator"))));
    auto trail = read(n);
    CHECK(actions(trail) == strings{"pause", "cancel"});
    CHECK(trail[1].principal == "bob");
    CHECK(trail[1].outcome == "refused");
    CHECK(trail[0].at_us > 0);
    CHECK(trail[0].at_us <= trail[1].at_us);
    audit_query bob;
    bob.principal = "bob";
    CHECK(actions(read(n, bob)) == strings{"cancel"});
    audit_query later;
    later.since_us = trail[1].at_us + 1;
    CHECK(read(n, later).empty());
    CHECK(actions(read_from_reporter(n)) == strings{"pause", "cancel"});
    audit_query bad;
    bad.limit = 0;
    CHECK(code_of(n.audit(bad).error()) == errc::invalid_field);
  }
  node again{options};
  REQUIRE_FALSE(again.start());
  REQUIRE_FALSE(again.record_audit(make_audit_entry("carol", "retry", "j2")));
  CHECK(actions(read(again)) == strings{"pause", "cancel", "retry"});
}

TEST_CASE_METHOD(node_fixture,
                 "an entry given to the recorder just before shutdown is "
                 "durable after it",
                 "[e2e][audit]") {
  {
    node n{options};
    REQUIRE_FALSE(n.start());
    record_audit(n.audit_recorder(), make_audit_entry("", "last", "words"));
  }
  node again{options};
  REQUIRE_FALSE(again.start());
  CHECK(actions(read(again)) == strings{"last"});
}
