// Unique jobs in the scheduler state with explicit times: a live key returns
// the existing job; a window keeps returning it after the end, then expires;
// windows learned from the store count like remembered ones.
#include "tests/actors/scheduler/scheduler_state_fixture.hpp"

using namespace troupe;
using troupe::test::scheduler_fixture;

namespace {

constexpr int64_t us_per_s = 1'000'000;

job_spec unique(std::string key, int64_t window_s = 0) {
  auto x = scheduler_fixture::spec();
  x.unique_key = std::move(key);
  x.unique_for_s = window_s;
  return x;
}

} // namespace

TEST_CASE_METHOD(scheduler_fixture,
                 "a duplicate unique key returns the live job's id",
                 "[unique]") {
  auto first = submit(unique("k"));
  CHECK(submit(unique("k")) == first);
  CHECK(submit(unique("other")) != first);
  start(first);
  CHECK(submit(unique("k")) == first);
  REQUIRE(finish(first, 1, true));
  flush();
  // No window: the key is free once the job ended.
  CHECK(submit(unique("k")) != first);
}

TEST_CASE_METHOD(scheduler_fixture,
                 "a unique window returns the ended job until it is over",
                 "[unique]") {
  auto first = submit(unique("k", 60));
  start(first);
  REQUIRE(finish(first, 1, true));
  flush();
  now += 59 * us_per_s;
  CHECK(submit(unique("k")) == first);
  CHECK(state.unknown_unique_keys({unique("k")}).empty());
  now += us_per_s; // Exactly 60 s after the end: the window is over.
  auto second = submit(unique("k"));
  CHECK(second != first);
}

TEST_CASE_METHOD(scheduler_fixture,
                 "a window read from the store after a restart still holds",
                 "[unique]") {
  CHECK(state.unknown_unique_keys({unique("k")}) ==
        std::vector<std::string>{"k"});
  job_record ended;
  ended.id = "old";
  ended.type = "work";
  ended.unique_key = "k";
  ended.unique_for_s = 3600;
  ended.status = job_status::completed;
  ended.finished_us = now - 10 * us_per_s;
  state.learn_unique({ended});
  CHECK(state.unknown_unique_keys({unique("k")}).empty());
  CHECK(submit(unique("k")) == "old");
  now = ended.finished_us + 3600 * us_per_s;
  CHECK(submit(unique("k")) != "old");
}

TEST_CASE_METHOD(scheduler_fixture,
                 "unique windows and result TTLs are checked and kept",
                 "[unique]") {
  auto no_key = spec();
  no_key.unique_for_s = 10;
  auto err = state.submit({no_key}, now);
  REQUIRE_FALSE(err);
  CHECK(message_of(err.error()) == "unique_for_s: needs a unique_key");
  auto negative = spec();
  negative.result_ttl_s = -1;
  REQUIRE_FALSE(state.submit({negative}, now));
  auto kept = unique("k", 30);
  kept.result_ttl_s = 600;
  auto id = submit(kept);
  CHECK(job(id).unique_for_s == 30);
  CHECK(job(id).result_ttl_s == 600);
}
