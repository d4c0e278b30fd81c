// The scheduler's state machine: statuses, history, retries with backoff,
// timeouts, fencing, cancellation and idempotent submission.
#include "tests/actors/scheduler/scheduler_state_fixture.hpp"

using namespace troupe;
using troupe::test::scheduler_fixture;

TEST_CASE_METHOD(scheduler_fixture,
                 "a submitted job is queued, written and handed to the queue",
                 "[scheduler]") {
  auto id = submit(spec());
  CHECK(status(id) == job_status::queued);
  auto batch = state.take_writes(7);
  CHECK(batch.ticket == 7);
  REQUIRE(batch.records.size() == 1);
  CHECK(batch.records[0].priority == 5);
  CHECK(batch.records[0].timeout_s == 60);
  REQUIRE(batch.history.size() == 1);
  CHECK(batch.history[0].message == "submitted");
  auto fx = state.take_effects();
  REQUIRE(fx.enqueue.size() == 1);
  CHECK(fx.enqueue[0].id == id);
  CHECK(fx.enqueue[0].attempt == 1);
}

TEST_CASE_METHOD(scheduler_fixture,
                 "a completed attempt records every transition in order",
                 "[scheduler]") {
  auto id = submit(spec());
  start(id);
  CHECK(status(id) == job_status::running);
  CHECK(finish(id, 1, true));
  auto batch = state.take_writes(1);
  REQUIRE(batch.history.size() == 3);
  CHECK(batch.history[0].to == job_status::queued);
  CHECK(batch.history[1].from == job_status::queued);
  CHECK(batch.history[1].to == job_status::running);
  CHECK(batch.history[1].executor == "ex");
  CHECK(batch.history[2].to == job_status::completed);
  for (uint32_t i = 0; i < 3; ++i)
    CHECK(batch.history[i].seq == i);
  REQUIRE(batch.records.size() == 1);
  CHECK(batch.records[0].result == R"({"ok":true})");
  CHECK(state.find(id) == nullptr); // Terminal jobs leave memory once written.
  CHECK(status(id) == job_status::completed);
}

TEST_CASE_METHOD(scheduler_fixture,
                 "failed attempts back off exponentially with jitter, then "
                 "the job fails",
                 "[scheduler]") {
  auto id = submit(spec());
  for (uint32_t attempt = 1; attempt <= 2; ++attempt) {
    start(id);
    CHECK(finish(id, attempt, false));
    CHECK(status(id) == job_status::scheduled);
    auto delay = job(id).run_at_us - now;
    int64_t full = 1'000'000LL << (attempt - 1); // 1 s, then 2 s
    CHECK(delay >= full / 2);
    CHECK(delay <= full);
    CHECK(job(id).attempt == attempt + 1);
    state.tick(now + delay - 1);
    CHECK(status(id) == job_status::scheduled);
    now += delay;
    state.tick(now);
    CHECK(status(id) == job_status::queued);
  }
  start(id);
  CHECK(finish(id, 3, false, "still broken"));
  CHECK(status(id) == job_status::failed);
  CHECK(job(id).error == "still broken");
}

TEST_CASE_METHOD(scheduler_fixture,
                 "a timeout fails the attempt, stops it, and its late result "
                 "is discarded",
                 "[scheduler]") {
  auto s = spec();
  s.timeout_s = 5;
  auto id = submit(s);
  start(id);
  flush();
  now += 5'000'000;
  state.tick(now);
  auto fx = state.take_effects();
  REQUIRE(fx.stop.size() == 1);
  CHECK(fx.stop[0] == std::make_pair(id, uint32_t{1}));
  CHECK(status(id) == job_status::scheduled);
  CHECK(job(id).error == "timed out after 5 s");
  CHECK_FALSE(finish(id, 1, true)); // The late result of attempt 1.
  CHECK(status(id) == job_status::scheduled);
  now = job(id).run_at_us;
  state.tick(now);
  start(id);
  CHECK(job(id).attempt == 2);
  CHECK(finish(id, 2, true));
  CHECK(status(id) == job_status::completed);
}

TEST_CASE_METHOD(scheduler_fixture, "reports of stale attempts are fenced",
                 "[scheduler]") {
  auto id = submit(spec());
  auto fence = state.fence_of(id);
  CHECK_FALSE(state.started(id, 2, "ex", "n1", fence, now));
  start(id);
  CHECK_FALSE(state.started(id, 1, "ex", "n1", fence, now)); // Twice.
  state.progress(id, 9, 0.5, "stale", fence, now);
  CHECK(job(id).progress == 0);
  state.progress(id, 1, 0.5, "half", fence, now);
  CHECK(job(id).progress == 0.5);
  CHECK_FALSE(finish(id, 2, true));
  CHECK(status(id) == job_status::running);
}

TEST_CASE_METHOD(scheduler_fixture,
                 "a report without the fence of its dispatch changes nothing",
                 "[scheduler]") {
  auto id = submit(spec());
  auto fence = state.fence_of(id);
  CHECK(fence != 0);
  CHECK_FALSE(state.started(id, 1, "ex", "n1", fence + 1, now));
  CHECK(status(id) == job_status::queued);
  start(id);
  state.progress(id, 1, 0.5, "forged", fence + 1, now);
  CHECK(job(id).progress == 0);
  attempt_outcome forged;
  forged.id = id;
  forged.attempt = 1;
  forged.succeeded = true;
  forged.executor = "ex";
  forged.fence = fence + 1;
  CHECK_FALSE(state.finished(forged, now));
  forged.fence = fence;
  forged.executor = ""; // Another executor than the one that started it.
  CHECK_FALSE(state.finished(forged, now));
  CHECK(status(id) == job_status::running);
  CHECK(finish(id, 1, true));
}

TEST_CASE_METHOD(scheduler_fixture,
                 "cancellation works in every non-terminal status",
                 "[scheduler]") {
  auto dep = submit(spec());
  auto waiting = submit(spec("work", {dep}));
  auto later = spec();
  later.run_at_us = now + 60'000'000;
  auto scheduled = submit(later);
  auto queued = submit(spec());
  start(dep);
  CHECK(status(waiting) == job_status::waiting);
  CHECK(status(scheduled) == job_status::scheduled);
  flush();
  for (const auto& id : {waiting, scheduled, queued, dep}) {
    auto result = state.cancel(id, now, "alice");
    REQUIRE(result);
    CHECK(*result == job_status::cancelled);
  }
  auto fx = state.take_effects();
  CHECK(fx.dequeue == std::vector<std::string>{queued});
  REQUIRE(fx.stop.size() == 1);
  CHECK(fx.stop[0].first == dep);
  CHECK(fx.settled.size() == 4);
  CHECK_FALSE(finish(dep, 1, true));
  CHECK(status(dep) == job_status::cancelled);
  auto again = state.cancel(dep, now, "alice");
  REQUIRE_FALSE(again);
  CHECK(code_of(again.error()) == errc::invalid_transition);
}

TEST_CASE_METHOD(scheduler_fixture,
                 "a client-chosen id or live unique key returns the existing "
                 "job",
                 "[scheduler]") {
  auto s = spec();
  s.id = "report-2026-11";
  CHECK(submit(s) == "report-2026-11");
  flush();
  CHECK(submit(s) == "report-2026-11");
  CHECK_FALSE(state.has_writes());
  auto u = spec();
  u.unique_key = "nightly";
  auto first = submit(u);
  CHECK(submit(u) == first);
  start(first);
  CHECK(finish(first, 1, true));
  CHECK(submit(u) != first); // Only live jobs hold their key.
}

TEST_CASE_METHOD(scheduler_fixture,
                 "an unknown dependency is rejected and nothing is written",
                 "[scheduler]") {
  auto result = state.submit({spec("work", {"nope"})}, now);
  REQUIRE_FALSE(result);
  CHECK(code_of(result.error()) == errc::unknown_dependency);
  CHECK(message_of(result.error()).find("deps[0]") != std::string::npos);
  CHECK_FALSE(state.has_writes());
  CHECK(state.take_effects().events.empty());
}

TEST_CASE_METHOD(scheduler_fixture,
                 "a batch is admitted all or nothing and may depend on "
                 "itself in order",
                 "[scheduler]") {
  auto a = spec();
  a.id = "a";
  auto b = spec("work", {"a"});
  auto ok = state.submit({a, b}, now);
  REQUIRE(ok);
  CHECK(status((*ok)[1]) == job_status::waiting);
  flush();
  auto c = spec();
  c.id = "c";
  auto bad = spec();
  bad.priority = 11;
  auto result = state.submit({c, bad}, now);
  REQUIRE_FALSE(result);
  CHECK(message_of(result.error()).rfind("jobs[1].priority", 0) == 0);
  CHECK_FALSE(state.status_of("c"));
  CHECK_FALSE(state.has_writes());
}

TEST_CASE_METHOD(scheduler_fixture,
                 "each written record names the status of the version it "
                 "replaces, the one of its last write",
                 "[scheduler]") {
  auto id = submit(spec());
  auto created = state.take_writes(1);
  REQUIRE(created.records.size() == 1);
  CHECK(created.created == std::vector<std::string>{id});
  state.take_effects();
  start(id);
  state.progress(id, 1, 0.5, "half", state.fence_of(id), now);
  auto running = state.take_writes(2);
  REQUIRE(running.records.size() == 1);
  CHECK(running.records[0].status == job_status::running);
  // Two changes since the last write: the status before the first.
  CHECK(running.replaced == std::vector<job_status>{job_status::queued});
  CHECK(finish(id, 1, false));
  auto retrying = state.take_writes(3);
  REQUIRE(retrying.records.size() == 1);
  CHECK(retrying.records[0].status == job_status::scheduled);
  CHECK(retrying.replaced == std::vector<job_status>{job_status::running});
}
