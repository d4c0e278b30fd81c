// The audit recorder, persistence and the status reporter under the testing
// scheduler: entries made durable and read back, cleanup and backup
// recorded with their outcome, and the trail's retention.
#include "tests/actors/actor_fixture.hpp"

#include <cstdlib>

#include "caf/exit_reason.hpp"

#include "troupe/actors/audit/audit_log.hpp"
#include "troupe/actors/retention/retention_cleaner.hpp"
#include "troupe/actors/wall_clock.hpp"
#include "troupe/messages/errc.hpp"

using namespace troupe;
using namespace std::chrono_literals;
using troupe::test::actor_fixture;

namespace {

struct audit_fixture : actor_fixture {
  /// The trail through the status reporter.
  caf::expected<std::vector<audit_entry>> read(audit_query query = {}) {
    auto handle =
        (*self)->request(reporter, caf::infinite, audit_atom_v, query);
    run();
    caf::expected<std::vector<audit_entry>> result{caf::no_error};
    handle.receive(
        [&](std::vector<audit_entry>& xs) { result = std::move(xs); },
        [&](caf::error& err) { result = std::move(err); });
    return result;
  }

  std::vector<std::string> actions(audit_query query = {}) {
    auto xs = read(std::move(query));
    REQUIRE(xs);
    std::vector<std::string> out;
    for (const auto& x : *xs)
      out.push_back(x.action);
    return out;
  }

  int64_t now_us() { return wall_clock{sys->clock()}.now_us(); }

  template <class T, class... Ts>
  caf::expected<T> ask_reporter(Ts... xs) {
    auto handle = (*self)->request(reporter, caf::infinite, xs...);
    run();
    caf::expected<T> result{caf::no_error};
    handle.receive([&](T& x) { result = std::move(x); },
                   [&](caf::error& err) { result = std::move(err); });
    return result;
  }
};

using strings = std::vector<std::string>;

} // namespace

TEST_CASE_METHOD(audit_fixture,
                 "entries given to the audit recorder are durable once it "
                 "answers and read back through the status reporter",
                 "[actors][audit]") {
  auto before = now_us();
  record_audit(audit, make_audit_entry("alice", "pause", "type:render"));
  auto handle = (*self)->request(
      audit, caf::infinite, audit_atom_v,
      std::vector<audit_entry>{make_audit_entry("bob", "cancel", "j1"),
                               make_audit_entry("alice", "resume", "r")});
  run();
  bool durable = false;
  handle.receive([&](ok_atom) { durable = true; },
                 [&](caf::error& err) { FAIL(message_of(err)); });
  REQUIRE(durable);
  // In the store itself, not only in a reply.
  auto stored = store->list_audit({});
  REQUIRE(stored);
  REQUIRE(stored->size() == 3);
  CHECK((*stored)[0].action == "pause");
  // Stamped on arrival (each wall clock here has its own base: allow slack).
  CHECK(std::abs((*stored)[0].at_us - before) < 60'000'000);
  CHECK((*stored)[0].outcome == "ok");
  audit_query alice;
  alice.principal = "alice";
  CHECK(actions(alice) == strings{"pause", "resume"});
  record_audit(audit, make_audit_entry("carol", "retry", "j2"));
  auto flushed = (*self)->request(audit, caf::infinite, flush_atom_v);
  run();
  flushed.receive([](ok_atom) {},
                  [&](caf::error& err) { FAIL(message_of(err)); });
  CHECK(store->list_audit({})->size() == 4);
}

TEST_CASE_METHOD(audit_fixture,
                 "a cleanup and a backup through the status reporter are "
                 "recorded with their outcome before they are answered",
                 "[actors][audit]") {
  auto done = completed_job();
  auto purged =
      ask_reporter<purge_report>(purge_atom_v, now_us() + 3'600'000'000);
  REQUIRE(purged);
  CHECK(purged->purged == 1);
  CHECK_FALSE(store->get(done));
  auto refused =
      ask_reporter<backup_report>(backup_atom_v, std::string{"relative/dir"});
  REQUIRE_FALSE(refused);
  auto trail = read();
  REQUIRE(trail);
  REQUIRE(trail->size() == 2);
  const auto& cleanup = (*trail)[0];
  CHECK(cleanup.action == "cleanup");
  CHECK(cleanup.principal.empty());
  CHECK_THAT(cleanup.target, Catch::StartsWith("finished before 20"));
  CHECK(cleanup.outcome == "ok");
  CHECK(cleanup.detail == "purged 1 jobs");
  const auto& backup = (*trail)[1];
  CHECK(backup.action == "backup");
  CHECK(backup.target == "relative/dir");
  CHECK(backup.outcome == "refused");
  CHECK(backup.detail == message_of(refused.error()));
}

TEST_CASE_METHOD(audit_fixture,
                 "an audit query out of range is refused naming the field",
                 "[actors][audit]") {
  audit_query query;
  query.limit = 0;
  auto refused = read(query);
  REQUIRE_FALSE(refused);
  CHECK(code_of(refused.error()) == errc::invalid_field);
  CHECK_THAT(message_of(refused.error()), Catch::StartsWith("limit: must be"));
}

TEST_CASE_METHOD(audit_fixture,
                 "the retention cleaner purges audit entries older than the "
                 "retention and keeps younger ones",
                 "[actors][audit][retention]") {
  auto now = now_us();
  auto entry = [](int64_t at_us, std::string action) {
    auto x = make_audit_entry("", std::move(action), "");
    x.at_us = at_us;
    return x;
  };
  REQUIRE_FALSE(store->append_audit(
      {entry(now - 2 * 3'600'000'000, "old"), entry(now, "young")}));
  auto cleaner = sys->spawn(retention_cleaner, retention_policy{55min, 10min},
                            persistence, purge_observer{});
  run();
  CHECK(actions() == strings{"old", "young"});
  advance(10min); // The cutoff is now 45 minutes ago.
  CHECK(actions() == strings{"young"});
  advance(50min); // And now 5 minutes after "young".
  CHECK(actions().empty());
  (*self)->send_exit(cleaner, caf::exit_reason::user_shutdown);
  run();
}
