// Dependencies, scheduled starts, manual retries and recovery after a stop.
#include "tests/actors/scheduler/scheduler_state_fixture.hpp"

using namespace troupe;
using troupe::test::scheduler_fixture;

TEST_CASE_METHOD(scheduler_fixture,
                 "a job waits for its dependencies and is released to the "
                 "queue",
                 "[scheduler]") {
  auto dep = submit(spec());
  auto id = submit(spec("work", {dep}));
  auto fx = flush();
  REQUIRE(fx.watch.size() == 1);
  CHECK(fx.watch[0].first == id);
  CHECK(fx.watch[0].second == std::vector<std::string>{dep});
  state.released({id}, now);
  CHECK(status(id) == job_status::queued);
}

TEST_CASE_METHOD(scheduler_fixture,
                 "a failed dependency fails, cancels or is ignored per policy",
                 "[scheduler]") {
  auto dep = submit(spec());
  auto failing = submit(spec("work", {dep}));
  auto cancel = spec("work", {dep});
  cancel.on_dependency_failure = dependency_policy::cancel;
  auto cancelling = submit(cancel);
  auto ignore = spec("work", {dep});
  ignore.on_dependency_failure = dependency_policy::ignore;
  auto ignoring = submit(ignore);
  for (const auto& id : {failing, cancelling, ignoring})
    state.dependency_failed(id, dep, job_status::failed, now);
  CHECK(status(failing) == job_status::failed);
  CHECK(job(failing).error == "dependency " + dep + " failed");
  CHECK(status(cancelling) == job_status::cancelled);
  CHECK(status(ignoring) == job_status::waiting);
  state.released({failing, ignoring}, now);
  CHECK(status(failing) == job_status::failed);
  CHECK(status(ignoring) == job_status::queued);
}

TEST_CASE_METHOD(scheduler_fixture,
                 "a dependency that already failed fails a new dependent at "
                 "once",
                 "[scheduler]") {
  auto dep = submit(spec());
  auto s = spec();
  s.max_retries = 0;
  auto doomed = submit(s);
  start(doomed);
  CHECK(finish(doomed, 1, false));
  flush();
  auto id = submit(spec("work", {doomed, dep}));
  CHECK(status(id) == job_status::failed);
  CHECK(job(id).error == "dependency " + doomed + " failed");
}

TEST_CASE_METHOD(scheduler_fixture,
                 "a job with a future run_at is scheduled until its time",
                 "[scheduler]") {
  auto s = spec();
  s.run_at_us = now + 2'000'000;
  auto id = submit(s);
  CHECK(status(id) == job_status::scheduled);
  CHECK(state.next_timer() == now + 2'000'000);
  flush();
  state.tick(now + 1'999'999);
  CHECK(status(id) == job_status::scheduled);
  state.tick(now + 2'000'000);
  CHECK(status(id) == job_status::queued);
  CHECK(flush().enqueue.size() == 1);
}

TEST_CASE_METHOD(scheduler_fixture,
                 "a failed job can be retried as a new attempt with its "
                 "history kept",
                 "[scheduler]") {
  auto s = spec();
  s.max_retries = 0;
  auto id = submit(s);
  start(id);
  CHECK(finish(id, 1, false));
  auto written = state.take_writes(1);
  state.take_effects();
  REQUIRE(state.find(id) == nullptr);
  const auto& stored = written.records.back();
  auto result = state.retry(id, &stored, now, "bob");
  REQUIRE(result);
  CHECK(*result == job_status::queued);
  CHECK(job(id).attempt == 2);
  CHECK(job(id).history_length == 4);
  auto batch = state.take_writes(2);
  REQUIRE(batch.history.size() == 1);
  CHECK(batch.history[0].seq == 3);
  CHECK(batch.history[0].from == job_status::failed);
  CHECK(batch.history[0].principal == "bob");
}

TEST_CASE_METHOD(scheduler_fixture,
                 "recovery re-queues running jobs with the next attempt and "
                 "says why",
                 "[scheduler]") {
  job_record running;
  running.id = "r1";
  running.type = "work";
  running.status = job_status::running;
  running.attempt = 1;
  running.history_length = 2;
  job_record queued = running;
  queued.id = "q1";
  queued.status = job_status::queued;
  job_record waiting = running;
  waiting.id = "w1";
  waiting.status = job_status::waiting;
  waiting.deps = {"r1"};
  state.recover(recovered_jobs{{running, queued, waiting}, {}, {}}, now);
  CHECK(status("r1") == job_status::queued);
  CHECK(job("r1").attempt == 2);
  CHECK(status("q1") == job_status::queued);
  CHECK(status("w1") == job_status::waiting);
  auto batch = state.take_writes(1);
  auto entry =
      std::find_if(batch.history.begin(), batch.history.end(),
                   [](const history_entry& e) { return e.job_id == "r1"; });
  REQUIRE(entry != batch.history.end());
  CHECK(entry->seq == 2);
  CHECK(entry->from == job_status::running);
  CHECK(entry->message == "recovered: attempt 1 was running when the node "
                          "stopped");
  auto fx = state.take_effects();
  CHECK(fx.enqueue.size() == 2);
  REQUIRE(fx.watch.size() == 1);
  CHECK(fx.watch[0].second == std::vector<std::string>{"r1"});
}

TEST_CASE_METHOD(scheduler_fixture,
                 "a page of recovery skips jobs the scheduler holds and jobs "
                 "that left memory while it was read",
                 "[scheduler]") {
  auto held = submit(spec());
  auto gone = submit(spec());
  start(gone);
  flush();
  // The page is asked for; meanwhile `gone` completes and leaves memory.
  state.note_departures(true);
  REQUIRE(finish(gone, 1, true));
  flush();
  // The page was read before that write: it still shows `gone` running.
  job_record stale_held = job(held);
  job_record stale_gone = stale_held;
  stale_gone.id = gone;
  stale_gone.status = job_status::running;
  job_record fresh = stale_held;
  fresh.id = "from-store";
  fresh.updated_us = now - 500;
  CHECK(state.recover(recovered_jobs{{stale_held, stale_gone, fresh}, {}, {}},
                      now) == 1);
  state.note_departures(false);
  CHECK(status(gone) == job_status::completed);
  CHECK(state.find(gone) == nullptr);
  CHECK(status("from-store") == job_status::queued);
  auto fx = state.take_effects();
  REQUIRE(fx.enqueue.size() == 1);
  CHECK(fx.enqueue[0].id == "from-store");
  REQUIRE(fx.events.size() == 1);
  CHECK(fx.events[0].kind == job_event_kind::recovered);
  CHECK(fx.events[0].previous_us == now - 500);
}

TEST_CASE("only the most recent terminal jobs stay in memory, older ones are "
          "looked up again",
          "[scheduler]") {
  auto cfg = troupe::test::fixture_config();
  cfg.remembered_terminal_jobs = 2;
  scheduler_state state{cfg};
  int64_t now = 1'000'000;
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    job_spec x;
    x.type = "work";
    x.id = "done-" + std::to_string(i);
    REQUIRE(state.submit({x}, now));
    REQUIRE(state.started(x.id, 1, "ex", "n1", state.fence_of(x.id), now));
    attempt_outcome out;
    out.id = x.id;
    out.attempt = 1;
    out.succeeded = true;
    out.executor = "ex";
    out.fence = state.fence_of(x.id);
    REQUIRE(state.finished(out, now));
    state.take_writes(i);
    ids.push_back(x.id);
  }
  CHECK_FALSE(state.status_of("done-0"));
  CHECK(state.status_of("done-2") == job_status::completed);
  job_spec dependent;
  dependent.type = "work";
  dependent.deps = {"done-0", "done-2"};
  CHECK(state.unknown_ids({dependent}) == std::vector<std::string>{"done-0"});
}

TEST_CASE_METHOD(scheduler_fixture,
                 "a new attempt forgets the start and progress of the last one",
                 "[scheduler]") {
  auto id = submit(spec());
  start(id);
  state.progress(id, 1, 0.5, "half way", state.fence_of(id), now);
  now += 1000;
  REQUIRE(finish(id, 1, false));
  CHECK(job(id).status == job_status::scheduled);
  CHECK(job(id).attempt == 2);
  CHECK(job(id).started_us == 0);
  CHECK(job(id).progress == 0);
  CHECK(job(id).progress_message.empty());
}
