// Limits and pauses through the real scheduler, persistence and queue under
// the testing scheduler: token buckets refill as the actor clock advances
// (never by sleeping), quotas free up when attempts end, and every change is
// stored before it is acknowledged.
#include "tests/actors/actor_fixture.hpp"

#include "troupe/messages/errc.hpp"

using namespace troupe;
using troupe::test::actor_fixture;

namespace {

struct controls_fixture : actor_fixture {
  template <class... Ts>
  caf::expected<dispatch_controls> control(Ts... xs) {
    auto handle = (*self)->request(scheduler_handle, caf::infinite, xs...);
    run();
    caf::expected<dispatch_controls> result{dispatch_controls{}};
    handle.receive([&](dispatch_controls& x) { result = std::move(x); },
                   [&](caf::error& err) { result = std::move(err); });
    return result;
  }

  void set(dispatch_limit limit) {
    auto result = control(limits_atom_v, std::move(limit));
    REQUIRE(result);
  }

  stats_snapshot stats() {
    auto handle = (*self)->request(reporter, caf::infinite, stats_atom_v);
    run();
    stats_snapshot result;
    handle.receive([&](stats_snapshot& x) { result = std::move(x); },
                   [&](caf::error& err) { FAIL(message_of(err)); });
    return result;
  }

  size_t dispatched_of(const std::string& type) {
    size_t n = 0;
    for (const auto& x : log->dispatched)
      n += x.type == type ? 1 : 0;
    return n;
  }
};

} // namespace

TEST_CASE_METHOD(controls_fixture,
                 "a rate-limited type refills as the actor clock advances "
                 "while other types run unthrottled",
                 "[actors][limits]") {
  set({control_scope::type, "api", 0, 2, 1}); // 2/s, burst 1
  for (int i = 0; i < 3; ++i)
    submit(spec("api"));
  grant(10);
  CHECK(dispatched_of("api") == 1);
  submit(spec("other"));
  submit(spec("other"));
  CHECK(dispatched_of("other") == 2);
  CHECK(stats().throttled ==
        std::map<std::string, uint64_t>{{"type api: rate 2/s", 2}});
  advance(std::chrono::milliseconds(499));
  CHECK(dispatched_of("api") == 1);
  advance(std::chrono::milliseconds(1));
  CHECK(dispatched_of("api") == 2);
  advance(std::chrono::milliseconds(500));
  CHECK(dispatched_of("api") == 3);
  CHECK(stats().throttled.empty());
}

TEST_CASE_METHOD(controls_fixture,
                 "a quota dispatches the next job when an attempt ends",
                 "[actors][limits]") {
  set({control_scope::type, "work", 1, 0, 0});
  auto a = submit(spec());
  auto b = submit(spec());
  grant(5);
  REQUIRE(log->dispatched.size() == 1);
  CHECK(log->dispatched[0].id == a);
  report_started(a, 1);
  CHECK(log->dispatched.size() == 1);
  report_finished(a, 1, true);
  REQUIRE(log->dispatched.size() == 2);
  CHECK(log->dispatched[1].id == b);
}

TEST_CASE_METHOD(controls_fixture,
                 "cancelling a dispatched job frees its quota",
                 "[actors][limits]") {
  set({control_scope::type, "work", 1, 0, 0});
  auto a = submit(spec());
  auto b = submit(spec());
  grant(5);
  REQUIRE(log->dispatched.size() == 1);
  REQUIRE(cancel(a));
  REQUIRE(log->dispatched.size() == 2);
  CHECK(log->dispatched[1].id == b);
}

TEST_CASE_METHOD(controls_fixture,
                 "limit changes are stored before they are acknowledged",
                 "[actors][limits]") {
  set({control_scope::owner, "ana", 3, 10, 4});
  auto stored_controls = store->controls();
  REQUIRE(stored_controls);
  REQUIRE(stored_controls->limits.size() == 1);
  CHECK(stored_controls->limits[0].burst == 4);
  auto bad = control(limits_atom_v,
                     dispatch_limit{control_scope::type, "x", 0, -5, 0});
  REQUIRE_FALSE(bad);
  CHECK(code_of(bad.error()) == errc::invalid_field);
  CHECK(message_of(bad.error()).find("rate: ") == 0);
  auto cleared = control(limits_atom_v, delete_atom_v, control_scope::owner,
                         std::string{"ana"});
  REQUIRE(cleared);
  CHECK(cleared->limits.empty());
  CHECK(store->controls()->limits.empty());
  auto unknown = control(limits_atom_v, delete_atom_v, control_scope::owner,
                         std::string{"ana"});
  CHECK(code_of(unknown.error()) == errc::not_found);
}

TEST_CASE_METHOD(controls_fixture,
                 "a paused type stays queued and resume dispatches at once",
                 "[actors][pause]") {
  REQUIRE(control(pause_atom_v, control_scope::type, std::string{"work"}));
  auto a = submit(spec());
  grant(5);
  CHECK(log->dispatched.empty());
  CHECK(stored(a).status == job_status::queued);
  CHECK(stats().paused == 1);
  CHECK(store->controls()->paused_types == std::vector<std::string>{"work"});
  REQUIRE(control(resume_atom_v, control_scope::type, std::string{"work"}));
  REQUIRE(log->dispatched.size() == 1);
  CHECK(log->dispatched[0].id == a);
}

TEST_CASE_METHOD(controls_fixture,
                 "a paused job is held back alone, ended jobs cannot be "
                 "paused and their pause is dropped",
                 "[actors][pause]") {
  auto a = submit(spec());
  auto b = submit(spec());
  REQUIRE(control(pause_atom_v, control_scope::job, a));
  grant(5);
  REQUIRE(log->dispatched.size() == 1);
  CHECK(log->dispatched[0].id == b);
  report_started(b, 1);
  report_finished(b, 1, true);
  auto ended = control(pause_atom_v, control_scope::job, b);
  CHECK(code_of(ended.error()) == errc::invalid_transition);
  auto unknown = control(pause_atom_v, control_scope::job, std::string{"nope"});
  CHECK(code_of(unknown.error()) == errc::not_found);
  REQUIRE(cancel(a));
  run();
  CHECK(store->controls()->paused_jobs.empty());
}

TEST_CASE_METHOD(controls_fixture,
                 "a pause with an out-of-range scope byte is refused naming "
                 "the scope and nothing is stored",
                 "[actors][pause][validation]") {
  auto a = submit(spec());
  auto nine = static_cast<control_scope>(9);
  for (auto result :
       {control(pause_atom_v, nine, a), control(resume_atom_v, nine, a),
        control(limits_atom_v, delete_atom_v, nine, a)}) {
    REQUIRE_FALSE(result);
    CHECK(code_of(result.error()) == errc::invalid_field);
    CHECK(message_of(result.error()).rfind("scope: ", 0) == 0);
  }
  auto limit = control(limits_atom_v, dispatch_limit{nine, "work", 1, 0, 0});
  REQUIRE_FALSE(limit);
  CHECK(code_of(limit.error()) == errc::invalid_field);
  auto stored_controls = store->controls();
  REQUIRE(stored_controls);
  CHECK(stored_controls->paused_jobs.empty());
  CHECK(stored_controls->limits.empty());
}
