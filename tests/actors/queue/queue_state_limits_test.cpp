// Quotas, token buckets and pauses in the ready queue, with explicit times:
// a held-back (type, owner) never blocks other keys, priority and ageing
// still order the eligible jobs.
#include <catch2/catch.hpp>

#include "troupe/actors/queue/queue_state.hpp"

using namespace troupe;

namespace {

constexpr int64_t ms = 1'000;
constexpr int64_t second = 1'000'000;

dispatch_limit type_limit(std::string type, uint32_t max_running,
                          double rate = 0, uint32_t burst = 0) {
  return dispatch_limit{control_scope::type, std::move(type), max_running, rate,
                        burst};
}

dispatch_limit owner_limit(std::string owner, uint32_t max_running,
                           double rate = 0, uint32_t burst = 0) {
  return dispatch_limit{control_scope::owner, std::move(owner), max_running,
                        rate, burst};
}

struct limits_fixture {
  queue_state queue{queue_config{10 * second}};
  dispatch_controls controls;

  void push(const std::string& id, std::string type, std::string owner = "",
            uint8_t priority = 5, int64_t at = 0) {
    job_dispatch entry;
    entry.id = id;
    entry.type = std::move(type);
    entry.owner = std::move(owner);
    entry.priority = priority;
    entry.enqueued_us = at;
    queue.push(entry);
  }

  void apply(int64_t now = 0) { queue.set_controls(controls, now); }

  std::string pop(int64_t now, std::vector<std::string> types = {}) {
    auto entry = queue.pop(types, now);
    return entry ? entry->id : "<none>";
  }
};

} // namespace

TEST_CASE_METHOD(limits_fixture,
                 "a type quota caps running jobs until an attempt ends",
                 "[queue][limits]") {
  controls.limits = {type_limit("sleep", 2)};
  apply();
  for (auto id : {"a", "b", "c", "d"})
    push(id, "sleep");
  CHECK(pop(0) == "a");
  CHECK(pop(0) == "b");
  CHECK(pop(0) == "<none>");
  CHECK(queue.throttled(0) ==
        std::map<std::string, uint64_t>{{"type sleep: max_running 2", 2}});
  CHECK(queue.ended("a"));
  CHECK_FALSE(queue.ended("a"));
  CHECK(pop(0) == "c");
  CHECK(pop(0) == "<none>");
  CHECK(queue.limiter().running(control_scope::type, "sleep") == 2);
}

TEST_CASE_METHOD(limits_fixture, "a throttled type never holds up other types",
                 "[queue][limits]") {
  controls.limits = {type_limit("slow", 1)};
  apply();
  push("s1", "slow", "", 1, 0);
  push("s2", "slow", "", 1, 0);
  push("f1", "fast", "", 9, 5);
  push("f2", "fast", "", 9, 6);
  CHECK(pop(10) == "s1");
  // s2 is more urgent but held back; the fast jobs go instead.
  CHECK(pop(10) == "f1");
  CHECK(pop(10) == "f2");
  CHECK(pop(10) == "<none>");
}

TEST_CASE_METHOD(limits_fixture,
                 "an owner quota never blocks other owners of the same type",
                 "[queue][limits]") {
  controls.limits = {owner_limit("ana", 1)};
  apply();
  push("ana-1", "mail", "ana", 5, 0);
  push("ana-2", "mail", "ana", 5, 1);
  push("ana-3", "mail", "ana", 5, 2);
  push("bo-1", "mail", "bo", 5, 3);
  push("bo-2", "mail", "bo", 5, 4);
  CHECK(pop(10) == "ana-1");
  CHECK(pop(10) == "bo-1");
  CHECK(pop(10) == "bo-2");
  CHECK(pop(10) == "<none>");
  CHECK(queue.throttled(10) ==
        std::map<std::string, uint64_t>{{"owner ana: max_running 1", 2}});
  queue.ended("ana-1");
  CHECK(pop(10) == "ana-2");
}

TEST_CASE_METHOD(limits_fixture,
                 "a token bucket allows its burst, then one job per 1/rate",
                 "[queue][limits]") {
  controls.limits = {type_limit("api", 0, 10, 2)}; // 10/s, burst 2
  apply(0);
  for (int i = 0; i < 6; ++i)
    push("j" + std::to_string(i), "api");
  CHECK(pop(0) == "j0");
  CHECK(pop(0) == "j1");
  CHECK(pop(0) == "<none>");
  CHECK(queue.next_token_at(0) == 100 * ms);
  CHECK(queue.throttled(0) ==
        std::map<std::string, uint64_t>{{"type api: rate 10/s", 4}});
  CHECK(pop(99 * ms) == "<none>");
  CHECK(pop(100 * ms) == "j2");
  CHECK(queue.next_token_at(100 * ms) == 200 * ms);
  // A long idle spell refills the bucket only up to its burst.
  CHECK(pop(10 * second) == "j3");
  CHECK(pop(10 * second) == "j4");
  CHECK(pop(10 * second) == "<none>");
  CHECK(queue.next_token_at(10 * second) == 10 * second + 100 * ms);
}

TEST_CASE_METHOD(limits_fixture,
                 "no token timer is needed when only a quota holds jobs back",
                 "[queue][limits]") {
  controls.limits = {type_limit("api", 1, 10)};
  apply(0);
  push("a", "api");
  push("b", "api");
  CHECK(pop(0) == "a");
  CHECK(queue.next_token_at(0) == std::nullopt);
  queue.ended("a");
  CHECK(queue.next_token_at(0) == 100 * ms);
  CHECK(pop(100 * ms) == "b");
  CHECK(queue.next_token_at(100 * ms) == std::nullopt);
}

TEST_CASE_METHOD(limits_fixture, "type and owner limits both apply to a job",
                 "[queue][limits]") {
  controls.limits = {type_limit("mail", 3), owner_limit("ana", 0, 1)};
  apply(0);
  push("ana-1", "mail", "ana");
  push("ana-2", "mail", "ana");
  push("bo-1", "mail", "bo");
  CHECK(pop(0) == "ana-1");
  CHECK(pop(0) == "bo-1");
  CHECK(pop(0) == "<none>"); // ana has no token left
  CHECK(pop(1 * second) == "ana-2");
  CHECK(queue.limiter().running(control_scope::type, "mail") == 3);
  CHECK(queue.limiter().running(control_scope::owner, "ana") == 2);
}

TEST_CASE_METHOD(limits_fixture, "a re-queued attempt ends the dispatched one",
                 "[queue][limits]") {
  controls.limits = {type_limit("work", 1)};
  apply();
  push("a", "work");
  CHECK(pop(0) == "a");
  CHECK(queue.in_flight() == 1);
  push("a", "work"); // e.g. its executor was lost
  CHECK(queue.in_flight() == 0);
  CHECK(pop(0) == "a");
}

TEST_CASE_METHOD(limits_fixture,
                 "ageing still orders the jobs that limits let through",
                 "[queue][limits]") {
  controls.limits = {type_limit("blocked", 1)};
  apply();
  push("held", "blocked", "", 1, 0);
  push("running", "blocked", "", 1, 0);
  CHECK(pop(0) == "held");
  push("old-low", "work", "", 10, 0);
  push("new-high", "work", "", 2, 90 * second);
  CHECK(pop(90 * second) == "old-low");
  CHECK(pop(90 * second) == "new-high");
}

TEST_CASE_METHOD(limits_fixture,
                 "a paused type stays queued and resumes in order",
                 "[queue][pause]") {
  controls.paused_types = {"mail"};
  apply();
  push("m1", "mail", "", 5, 0);
  push("m2", "mail", "", 5, 1);
  push("w1", "work", "", 5, 2);
  CHECK(pop(5) == "w1");
  CHECK(pop(5) == "<none>");
  CHECK(queue.size() == 2);
  CHECK(queue.paused() == 2);
  CHECK(queue.throttled(5).empty());
  controls.paused_types.clear();
  apply();
  CHECK(queue.paused() == 0);
  CHECK(pop(5) == "m1");
  CHECK(pop(5) == "m2");
}

TEST_CASE_METHOD(limits_fixture,
                 "a paused job is skipped without blocking jobs behind it",
                 "[queue][pause]") {
  push("first", "work", "", 5, 0);
  push("second", "work", "", 5, 1);
  push("third", "work", "", 5, 2);
  controls.paused_jobs = {"first", "later"};
  apply();
  CHECK(queue.contains("first"));
  CHECK(pop(5) == "second");
  push("later", "work", "", 5, 3); // paused before it was queued
  CHECK(pop(5) == "third");
  CHECK(pop(5) == "<none>");
  CHECK(queue.paused() == 2);
  controls.paused_jobs = {"later"};
  apply();
  CHECK(pop(5) == "first");
  CHECK(pop(5) == "<none>");
  CHECK(queue.remove("later"));
  CHECK(queue.size() == 0);
}

TEST_CASE("changing a rate keeps the tokens already used", "[queue][limits]") {
  dispatch_limiter limiter;
  limiter.set_limits({type_limit("api", 0, 1, 5)}, 0);
  for (int i = 0; i < 5; ++i) {
    REQUIRE_FALSE(limiter.blocked("api", "", 0));
    limiter.take("api", "", 0);
  }
  CHECK(limiter.blocked("api", "", 0));
  limiter.set_limits({type_limit("api", 0, 2, 5)}, 0);
  auto block = limiter.blocked("api", "", 0);
  REQUIRE(block);
  CHECK(describe(*block) == "type api: rate 2/s");
  CHECK(limiter.ready_at("api", "", 0) == 500 * ms);
}
